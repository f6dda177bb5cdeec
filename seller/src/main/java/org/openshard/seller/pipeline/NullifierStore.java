package org.openshard.seller.pipeline;

import java.time.Instant;

/**
 * Stages 2 and 3: checks the nullifier against the replay store and stores it, as one atomic
 * claim (set-if-absent), so two concurrent envelopes with the same nullifier cannot both pass.
 */
@FunctionalInterface
public interface NullifierStore {
  /**
   * Claims the nullifier until {@code retainUntil}.
   *
   * @throws StageException NULLIFIER_REPLAYED if it was already claimed; STORE_UNAVAILABLE if the
   *     store cannot be reached (the request fails closed)
   */
  void claim(NullifierId nullifier, Instant retainUntil) throws StageException;
}
