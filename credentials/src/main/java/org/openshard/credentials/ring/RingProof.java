package org.openshard.credentials.ring;

import org.openshard.credentials.Nullifier;
import org.openshard.credentials.Scope;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.ZkProof;

/** A finished ring proof: the two protos that travel in the envelope, plus its nullifier. */
public final class RingProof {
  private final BuyerCommitment commitment;
  private final ZkProof proof;
  private final Nullifier nullifier;
  private final Scope scope;

  RingProof(BuyerCommitment commitment, ZkProof proof, Nullifier nullifier, Scope scope) {
    this.commitment = commitment;
    this.proof = proof;
    this.nullifier = nullifier;
    this.scope = scope;
  }

  /** The ring: anchor-set epoch, digest and member indices. */
  public BuyerCommitment commitment() {
    return commitment;
  }

  /** Scheme, scope, c_0, responses and key image. */
  public ZkProof proof() {
    return proof;
  }

  public Nullifier nullifier() {
    return nullifier;
  }

  public Scope scope() {
    return scope;
  }

  @Override
  public String toString() {
    return "RingProof(ring of " + commitment.getMemberIndicesCount() + ", " + scope + ", " + nullifier + ")";
  }
}
