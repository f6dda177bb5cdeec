package org.openshard.seller.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * The result of a successful proof check: the nullifier, and how long the replay store must
 * remember it (until no verifier would accept its scope any more).
 */
public record VerifiedProof(NullifierId nullifier, Instant retainUntil) {
  public VerifiedProof {
    Objects.requireNonNull(nullifier, "nullifier");
    Objects.requireNonNull(retainUntil, "retainUntil");
  }
}
