package org.openshard.registry.store;

/** The outcome of {@link PeerStore#heartbeat}. */
public enum HeartbeatResult {
  /** Liveness extended. */
  OK,
  /** No live registration for the peer id (never registered, deregistered or expired). */
  UNKNOWN_PEER,
  /** The token does not match the live registration. */
  BAD_TOKEN,
}
