package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.BuyerFrame;

/**
 * One request ready to send to one seller: either a full envelope ({@link PreparedEnvelope}) or a
 * request in a resumed session ({@link ResumedSessions}), and the way to read its answer.
 */
public interface PreparedRequest {
  /** Sets the first frame's payload (envelope or resume). */
  void writeTo(BuyerFrame.Builder first);

  /** Hex SHA-256 of the nullifier the session spent (the envelope's, for a resumed request). */
  String nullifierHashHex();

  /** The hash a receipt for this request must carry (RECEIPT rules; RES-10 when resumed). */
  byte[] requestHash();

  /** True for a request in a resumed session. */
  boolean resumed();

  /** The decryptor for this request's response stream (call once). */
  ResponseOpener responseOpener() throws BuyerException;
}
