package org.openshard.credentials.replay;

import java.time.Instant;
import org.openshard.credentials.Nullifier;

/**
 * Remembers used nullifiers until they expire. {@link #claim} is atomic: of any number of concurrent
 * claims of one nullifier, exactly one returns {@link ClaimResult#FRESH}. Implementations fail
 * closed: when the store cannot answer they throw, they never answer FRESH.
 *
 * <p>Entries are keyed by {@link Nullifier#hash()}. A nullifier of epoch e should expire at {@code
 * NullifierEpochs.replayExpiry(e, skew)}: the end of epoch e + 1 (the last epoch a verifier accepts
 * it in) plus the clock skew.
 */
public interface ReplayCache extends AutoCloseable {
  /**
   * Records {@code nullifier} until {@code expiresAt} if it is not already recorded.
   *
   * @throws IllegalArgumentException if {@code expiresAt} is not in the future
   * @throws StoreUnavailableException if the store cannot be read or written
   */
  ClaimResult claim(Nullifier nullifier, Instant expiresAt) throws StoreUnavailableException;

  @Override
  void close();
}
