package org.openshard.crypto.envelope;

import org.openshard.crypto.CryptoException;

/**
 * The buyer's side of a sealed session: opens the seller's response stream. Each stream is handed
 * out once.
 */
public final class BuyerSession {
  private final SessionStreams streams;

  BuyerSession(SessionStreams streams) {
    this.streams = streams;
  }

  /** The 16-byte session id of the envelope. */
  public byte[] sessionId() {
    return streams.sessionId();
  }

  /** The envelope's transcript digest (ENV-8), bound into every chunk. */
  public byte[] transcriptDigest() {
    return streams.transcriptDigest();
  }

  /**
   * The opener of the seller-to-buyer stream.
   *
   * @throws IllegalStateException if it was already taken
   */
  public ChunkOpener responseOpener() throws CryptoException {
    return streams.opener(StreamDirection.SELLER_TO_BUYER);
  }

  /**
   * The sealer of the buyer-to-seller stream (reserved for future frames).
   *
   * @throws IllegalStateException if it was already taken
   */
  public ChunkSealer requestSealer() throws CryptoException {
    return streams.sealer(StreamDirection.BUYER_TO_SELLER);
  }

  /**
   * The session's resumption secret, to seal further requests to the same seller (RES-1).
   *
   * @throws IllegalStateException for the session of a resumed request (sessions do not chain)
   */
  public SessionResumption resumption() {
    return streams.resumption();
  }
}
