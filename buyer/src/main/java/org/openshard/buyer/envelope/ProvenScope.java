package org.openshard.buyer.envelope;

import java.util.Objects;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.ZkProof;

/** A credential proof over an envelope's transcript: the ring, the proof and its nullifier hash. */
public final class ProvenScope {
  private final BuyerCommitment commitment;
  private final ZkProof proof;
  private final String nullifierHashHex;

  public ProvenScope(BuyerCommitment commitment, ZkProof proof, String nullifierHashHex) {
    this.commitment = Objects.requireNonNull(commitment);
    this.proof = Objects.requireNonNull(proof);
    this.nullifierHashHex = Objects.requireNonNull(nullifierHashHex);
  }

  public BuyerCommitment commitment() {
    return commitment;
  }

  public ZkProof proof() {
    return proof;
  }

  public String nullifierHashHex() {
    return nullifierHashHex;
  }
}
