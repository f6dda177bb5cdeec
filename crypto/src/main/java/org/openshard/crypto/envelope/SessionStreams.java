package org.openshard.crypto.envelope;

import java.util.EnumMap;
import java.util.Map;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;

/**
 * The two stream keys of one session (STR-1). Each direction's key is handed out exactly once, as a
 * sealer or an opener, and the copy held here is wiped; a second request is a programming error
 * (it would reuse nonces), so it throws IllegalStateException.
 */
final class SessionStreams {
  private final byte[] sessionId;
  private final byte[] transcriptDigest;
  private final Map<StreamDirection, byte[]> keys = new EnumMap<>(StreamDirection.class);
  private SessionResumption resumption;

  private SessionStreams(byte[] sessionId, byte[] transcriptDigest) {
    this.sessionId = sessionId.clone();
    this.transcriptDigest = transcriptDigest.clone();
  }

  /**
   * Derives both directions' keys from the session key, and the resumption secret (RES-1) when
   * {@code sellerIdUtf8} is given (envelope sessions; a resumed request's keys are not resumable).
   * The caller wipes {@code sessionKey}.
   */
  static SessionStreams derive(byte[] sessionKey, byte[] sessionId, byte[] transcriptDigest, byte[] sellerIdUtf8)
      throws CryptoException {
    SessionStreams s = new SessionStreams(sessionId, transcriptDigest);
    for (StreamDirection d : StreamDirection.values()) {
      s.keys.put(d, StreamFormat.streamKey(sessionKey, transcriptDigest, d));
    }
    if (sellerIdUtf8 != null) {
      s.resumption = SessionResumption.derive(sessionKey, transcriptDigest, sellerIdUtf8);
    }
    return s;
  }

  /** The session's resumption secret (envelope sessions only). */
  SessionResumption resumption() {
    if (resumption == null) {
      throw new IllegalStateException("a resumed request's session cannot itself be resumed");
    }
    return resumption;
  }

  byte[] sessionId() {
    return sessionId.clone();
  }

  byte[] transcriptDigest() {
    return transcriptDigest.clone();
  }

  synchronized ChunkSealer sealer(StreamDirection d) throws CryptoException {
    byte[] key = take(d);
    try {
      return new ChunkSealer(d, key, transcriptDigest);
    } finally {
      Bytes.wipe(key);
    }
  }

  synchronized ChunkOpener opener(StreamDirection d) throws CryptoException {
    byte[] key = take(d);
    try {
      return new ChunkOpener(d, key, transcriptDigest);
    } finally {
      Bytes.wipe(key);
    }
  }

  private byte[] take(StreamDirection d) {
    byte[] key = keys.remove(d);
    if (key == null) {
      throw new IllegalStateException("the " + d.label() + " stream of this session was already taken");
    }
    return key;
  }
}
