package org.openshard.crypto.envelope;

import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.SealedQuery;

/** A decrypted envelope: the buyer's query and the seller's side of the session. */
public final class OpenedEnvelope {
  private final EnvelopeHeader header;
  private final SealedQuery query;
  private final byte[] transcriptDigest;
  private final SellerSession session;

  OpenedEnvelope(EnvelopeHeader header, SealedQuery query, byte[] transcriptDigest, SellerSession session) {
    this.header = header;
    this.query = query;
    this.transcriptDigest = transcriptDigest.clone();
    this.session = session;
  }

  public EnvelopeHeader header() {
    return header;
  }

  /** The decrypted query. Never log it. */
  public SealedQuery query() {
    return query;
  }

  /** The 32-byte transcript digest (ENV-8) the credential proof was verified over. */
  public byte[] transcriptDigest() {
    return transcriptDigest.clone();
  }

  /** The 16-byte session id of this envelope (also the request id in receipts). */
  public byte[] sessionId() {
    return header.getSessionId().toByteArray();
  }

  public String sellerKeyId() {
    return header.getSellerKeyId();
  }

  public SellerSession session() {
    return session;
  }

  @Override
  public String toString() {
    return "OpenedEnvelope(" + header.getSellerKeyId() + ")";
  }
}
