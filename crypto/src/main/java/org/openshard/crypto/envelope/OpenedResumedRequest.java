package org.openshard.crypto.envelope;

import org.openshard.proto.v1.SealedQuery;

/** A resumed request opened by the seller: the query and the session that seals the answer. */
public final class OpenedResumedRequest {
  private final SealedQuery query;
  private final byte[] ticket;
  private final long requestNumber;
  private final byte[] transcriptDigest;
  private final SellerSession session;

  OpenedResumedRequest(SealedQuery query, byte[] ticket, long requestNumber, byte[] transcriptDigest, SellerSession session) {
    this.query = query;
    this.ticket = ticket.clone();
    this.requestNumber = requestNumber;
    this.transcriptDigest = transcriptDigest.clone();
    this.session = session;
  }

  public SealedQuery query() {
    return query;
  }

  public byte[] ticket() {
    return ticket.clone();
  }

  public long requestNumber() {
    return requestNumber;
  }

  /** The request's transcript digest (RES-6). */
  public byte[] transcriptDigest() {
    return transcriptDigest.clone();
  }

  /** Seals the response stream of this request. */
  public SellerSession session() {
    return session;
  }

  @Override
  public String toString() {
    return "OpenedResumedRequest(n=" + requestNumber + ", service=" + query.getServiceId() + ")";
  }
}
