package org.openshard.crypto.envelope;

import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hkdf;

/** The exact bytes of the encrypted stream (docs/protocol.md section 4, rules STR-1..STR-4). */
final class StreamFormat {
  /** Largest StreamPayload a chunk may carry, in bytes (the gRPC default message cap). */
  static final int MAX_CHUNK_PLAINTEXT_BYTES = 4 * 1024 * 1024;

  private StreamFormat() {}

  /**
   * STR-1: {@code HKDF-SHA256(ikm = session_key, salt = transcript_digest, info =
   * lp("openshard.v1.stream.key") || lp(direction), 32)}.
   */
  static byte[] streamKey(byte[] sessionKey, byte[] transcriptDigest, StreamDirection direction)
      throws CryptoException {
    return Hkdf.sha256(sessionKey, transcriptDigest, streamKeyInfo(direction), EnvelopeFormat.KEY_BYTES);
  }

  static byte[] streamKeyInfo(StreamDirection direction) {
    return ByteWriter.labelled(Labels.STREAM_KEY).lp(Labels.ascii(direction.label())).toByteArray();
  }

  /** STR-2: {@code 00000000 || u64(sequence)}. */
  static byte[] nonce(long sequence) {
    return Bytes.concat(new byte[4], Bytes.u64(sequence));
  }

  /**
   * STR-3: {@code lp("openshard.v1.stream.chunk") || lp(direction) || transcript_digest (32) ||
   * u64(sequence) || u8(final ? 1 : 0)}.
   */
  static byte[] associatedData(StreamDirection direction, byte[] transcriptDigest, long sequence, boolean last) {
    return ByteWriter.labelled(Labels.STREAM_CHUNK_AAD)
        .lp(Labels.ascii(direction.label()))
        .raw(transcriptDigest)
        .u64(sequence)
        .u8(last ? 1 : 0)
        .toByteArray();
  }
}
