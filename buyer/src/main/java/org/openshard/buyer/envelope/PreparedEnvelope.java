package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.PrivacyEnvelope;

/** A sealed, proven envelope for one seller and one session, and the way to read its answer. */
public interface PreparedEnvelope {
  PrivacyEnvelope envelope();

  /** Hex SHA-256 of the nullifier (key image) the envelope spends. */
  String nullifierHashHex();

  /** The decryptor for this session's response stream (call once). */
  ResponseOpener responseOpener() throws BuyerException;
}
