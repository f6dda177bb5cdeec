package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.StreamPayload;

/** Decrypts a session's response chunks in order; any gap, repeat, tamper or truncation fails. */
public interface ResponseOpener {
  /** @throws BuyerException STREAM_INTEGRITY or DECRYPTION_FAILED */
  StreamPayload open(EncryptedChunk chunk) throws BuyerException;

  /** Called when the stream ended; fails with STREAM_INTEGRITY unless the final chunk was opened. */
  void finish() throws BuyerException;
}
