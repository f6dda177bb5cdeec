package org.openshard.registry.store;

/** The outcome of {@link PeerStore#deregister}. */
public record DeregisterResult(Outcome outcome, long lastAcceptedTimestampMs) {
  /** What happened. */
  public enum Outcome {
    /** A live registration was removed. */
    REMOVED,
    /** Accepted (anti-replay timestamp advanced) but no live registration existed. */
    NOT_REGISTERED,
    /** Not strictly newer than the last signed message accepted for the peer id. */
    STALE,
  }

  public static DeregisterResult removed() {
    return new DeregisterResult(Outcome.REMOVED, 0);
  }

  public static DeregisterResult notRegistered() {
    return new DeregisterResult(Outcome.NOT_REGISTERED, 0);
  }

  public static DeregisterResult stale(long last) {
    return new DeregisterResult(Outcome.STALE, last);
  }
}
