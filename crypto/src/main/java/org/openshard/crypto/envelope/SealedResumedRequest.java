package org.openshard.crypto.envelope;

import org.openshard.proto.v1.ResumedRequest;

/** A resumed request sealed by the buyer (RES-5), and the session that reads its answer. */
public final class SealedResumedRequest {
  private final ResumedRequest proto;
  private final byte[] transcriptDigest;
  private final BuyerSession session;

  SealedResumedRequest(ResumedRequest proto, byte[] transcriptDigest, BuyerSession session) {
    this.proto = proto;
    this.transcriptDigest = transcriptDigest.clone();
    this.session = session;
  }

  /** The frame to send. */
  public ResumedRequest toProto() {
    return proto;
  }

  /** The request's transcript digest (RES-6), bound into every chunk of its response. */
  public byte[] transcriptDigest() {
    return transcriptDigest.clone();
  }

  /** Opens the seller's response stream of this request. */
  public BuyerSession session() {
    return session;
  }

  @Override
  public String toString() {
    return "SealedResumedRequest(n=" + proto.getRequestNumber() + ")";
  }
}
