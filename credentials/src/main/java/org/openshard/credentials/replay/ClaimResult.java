package org.openshard.credentials.replay;

/** The outcome of {@link ReplayCache#claim}. */
public enum ClaimResult {
  /** First use: the nullifier is now recorded. Serve the request. */
  FRESH,
  /** Already recorded and not expired: reject with NULLIFIER_REPLAYED. */
  REPLAYED
}
