package org.openshard.registry.store;

/** The outcome of {@link PeerStore#register}. */
public record RegisterResult(Outcome outcome, long lastAcceptedTimestampMs) {
  /** What happened. */
  public enum Outcome {
    /** A new live peer. */
    ADDED,
    /** Replaced the live registration of the same peer id. */
    UPDATED,
    /** Not strictly newer than the last registration or deregistration accepted for the peer id. */
    STALE,
  }

  public static RegisterResult added() {
    return new RegisterResult(Outcome.ADDED, 0);
  }

  public static RegisterResult updated() {
    return new RegisterResult(Outcome.UPDATED, 0);
  }

  public static RegisterResult stale(long last) {
    return new RegisterResult(Outcome.STALE, last);
  }
}
