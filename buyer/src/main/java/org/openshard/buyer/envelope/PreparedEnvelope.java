package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.payments.receipts.Receipts;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.PrivacyEnvelope;

/** A sealed, proven envelope for one seller and one session, and the way to read its answer. */
public interface PreparedEnvelope extends PreparedRequest {
  PrivacyEnvelope envelope();

  /**
   * The session's resumption secret (docs/protocol.md section 5a), to keep if the seller offers a
   * ticket; null if this envelope's session cannot be resumed.
   */
  default SessionResumption resumption() {
    return null;
  }

  @Override
  default void writeTo(BuyerFrame.Builder first) {
    first.setEnvelope(envelope());
  }

  @Override
  default byte[] requestHash() {
    return Receipts.requestHash(envelope()).toByteArray();
  }

  @Override
  default boolean resumed() {
    return false;
  }

  /** Hex SHA-256 of the nullifier (key image) the envelope spends. */
  String nullifierHashHex();

  /** The decryptor for this session's response stream (call once). */
  ResponseOpener responseOpener() throws BuyerException;
}
