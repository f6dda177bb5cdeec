package org.openshard.crypto.envelope;

import org.openshard.crypto.CryptoException;

/**
 * The seller's side of an opened session: seals the response stream. Each stream is handed out
 * once.
 */
public final class SellerSession {
  private final SessionStreams streams;

  SellerSession(SessionStreams streams) {
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
   * The sealer of the seller-to-buyer stream.
   *
   * @throws IllegalStateException if it was already taken
   */
  public ChunkSealer responseSealer() throws CryptoException {
    return streams.sealer(StreamDirection.SELLER_TO_BUYER);
  }

  /**
   * The opener of the buyer-to-seller stream (reserved for future frames).
   *
   * @throws IllegalStateException if it was already taken
   */
  public ChunkOpener requestOpener() throws CryptoException {
    return streams.opener(StreamDirection.BUYER_TO_SELLER);
  }

  /**
   * The session's resumption secret, to open further requests of this session (RES-1).
   *
   * @throws IllegalStateException for the session of a resumed request (sessions do not chain)
   */
  public SessionResumption resumption() {
    return streams.resumption();
  }
}
