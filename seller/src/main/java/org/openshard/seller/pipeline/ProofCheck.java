package org.openshard.seller.pipeline;

import org.openshard.proto.v1.PrivacyEnvelope;

/** Stage 1: verifies the envelope's zero-knowledge proof (and its scope) and yields its nullifier. */
@FunctionalInterface
public interface ProofCheck {
  /**
   * @throws StageException PROOF_INVALID, SCOPE_INVALID, UNKNOWN_ANCHOR_SET, INVALID_ARGUMENT or
   *     LIMIT_EXCEEDED
   */
  VerifiedProof verify(PrivacyEnvelope envelope) throws StageException;
}
