package org.openshard.crypto.envelope;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.StreamPayload;

/**
 * Opens one direction of a session's stream, strictly in order (STR-5..STR-8).
 *
 * <ul>
 *   <li>A chunk whose {@code sequence} is not the next expected one (replayed, duplicated,
 *       reordered, or a chunk dropped before it), or any chunk after the final one: STREAM_INTEGRITY,
 *       checked before decryption.
 *   <li>A chunk whose bytes, final flag, sequence, session or direction were altered fails
 *       authentication: DECRYPTION_FAILED.
 *   <li>{@link #finish()} when the stream ended without a final chunk (truncation): STREAM_INTEGRITY.
 * </ul>
 *
 * After any failure the opener is dead: every later call fails with STREAM_INTEGRITY. Thread-safe.
 */
public final class ChunkOpener {
  private enum State {
    OPEN,
    FINISHED,
    FAILED
  }

  private final StreamDirection direction;
  private final AesGcm aead;
  private final byte[] transcriptDigest;
  private long nextSequence;
  private State state = State.OPEN;

  ChunkOpener(StreamDirection direction, byte[] key, byte[] transcriptDigest) throws CryptoException {
    this.direction = direction;
    this.aead = AesGcm.of(key);
    this.transcriptDigest = transcriptDigest.clone();
  }

  /**
   * Decrypts the next chunk.
   *
   * @throws CryptoException STREAM_INTEGRITY (order, duplicate, after final, opener already failed),
   *     DECRYPTION_FAILED (authentication), INVALID_ENCODING (oversized chunk, or the authenticated
   *     plaintext is not a StreamPayload)
   */
  public synchronized StreamPayload open(EncryptedChunk chunk) throws CryptoException {
    Objects.requireNonNull(chunk, "chunk");
    if (state == State.FAILED) {
      throw new CryptoException(CryptoException.Reason.STREAM_INTEGRITY, "the stream already failed");
    }
    if (state == State.FINISHED) {
      throw fail(CryptoException.Reason.STREAM_INTEGRITY, "chunk " + Long.toUnsignedString(chunk.getSequence())
          + " arrived after the final chunk");
    }
    long seq = chunk.getSequence();
    if (seq != nextSequence) {
      String what = Long.compareUnsigned(seq, nextSequence) < 0 ? "replayed or reordered" : "chunks are missing before it";
      throw fail(
          CryptoException.Reason.STREAM_INTEGRITY,
          "expected chunk " + nextSequence + ", got " + Long.toUnsignedString(seq) + " (" + what + ")");
    }
    int size = chunk.getCiphertext().size();
    if (size < AesGcm.TAG_BYTES) {
      throw fail(CryptoException.Reason.DECRYPTION_FAILED, "chunk ciphertext is shorter than the tag");
    }
    if (size > StreamFormat.MAX_CHUNK_PLAINTEXT_BYTES + AesGcm.TAG_BYTES) {
      throw fail(CryptoException.Reason.INVALID_ENCODING, "chunk ciphertext exceeds the limit");
    }
    byte[] plaintext;
    try {
      plaintext =
          aead.decrypt(
              StreamFormat.nonce(seq),
              chunk.getCiphertext().toByteArray(),
              StreamFormat.associatedData(direction, transcriptDigest, seq, chunk.getFinal()));
    } catch (CryptoException e) {
      throw fail(CryptoException.Reason.DECRYPTION_FAILED, "chunk " + seq + " failed authentication");
    }
    StreamPayload payload;
    try {
      payload = StreamPayload.parseFrom(plaintext);
    } catch (InvalidProtocolBufferException e) {
      throw fail(CryptoException.Reason.INVALID_ENCODING, "chunk " + seq + " is not a StreamPayload");
    }
    nextSequence++;
    if (chunk.getFinal()) {
      state = State.FINISHED;
    }
    return payload;
  }

  /**
   * Call when the transport stream ends.
   *
   * @throws CryptoException STREAM_INTEGRITY unless the final chunk was opened (truncation) or if the
   *     opener already failed
   */
  public synchronized void finish() throws CryptoException {
    if (state == State.FINISHED) {
      return;
    }
    if (state == State.FAILED) {
      throw new CryptoException(CryptoException.Reason.STREAM_INTEGRITY, "the stream already failed");
    }
    throw fail(
        CryptoException.Reason.STREAM_INTEGRITY, "stream ended after " + nextSequence + " chunks without a final chunk");
  }

  /** True once the final chunk was opened. */
  public synchronized boolean isFinished() {
    return state == State.FINISHED;
  }

  /** Chunks opened so far. */
  public synchronized long chunksOpened() {
    return nextSequence;
  }

  public StreamDirection direction() {
    return direction;
  }

  private CryptoException fail(CryptoException.Reason reason, String message) {
    state = State.FAILED;
    return new CryptoException(reason, message);
  }
}
