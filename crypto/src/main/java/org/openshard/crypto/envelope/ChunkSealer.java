package org.openshard.crypto.envelope;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.StreamPayload;

/**
 * Seals one direction of a session's stream: chunk {@code i} gets sequence {@code i}, the nonce
 * derived from it (STR-2) and associated data binding the session transcript, the sequence and the
 * final flag (STR-3). After the chunk sealed with {@code last = true}, nothing more can be sealed.
 * Obtained once per direction from {@link SellerSession} or {@link BuyerSession}, so a key and
 * nonce pair is never reused. Thread-safe.
 */
public final class ChunkSealer {
  private final StreamDirection direction;
  private final AesGcm aead;
  private final byte[] transcriptDigest;
  private long nextSequence;
  private boolean finished;

  ChunkSealer(StreamDirection direction, byte[] key, byte[] transcriptDigest) throws CryptoException {
    this.direction = direction;
    this.aead = AesGcm.of(key);
    this.transcriptDigest = transcriptDigest.clone();
  }

  /**
   * Encrypts the next chunk.
   *
   * @param last true for the final chunk of the stream (it may carry an empty payload)
   * @throws CryptoException STREAM_INTEGRITY if the final chunk was already sealed; INVALID_ENCODING
   *     if the payload is larger than the chunk limit (4 MiB)
   */
  public synchronized EncryptedChunk seal(StreamPayload payload, boolean last) throws CryptoException {
    Objects.requireNonNull(payload, "payload");
    if (finished) {
      throw new CryptoException(CryptoException.Reason.STREAM_INTEGRITY, "the final chunk was already sealed");
    }
    if (nextSequence < 0) {
      throw new CryptoException(CryptoException.Reason.STREAM_INTEGRITY, "sequence space exhausted");
    }
    byte[] plaintext = payload.toByteArray();
    if (plaintext.length > StreamFormat.MAX_CHUNK_PLAINTEXT_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "chunk payload is " + plaintext.length + " bytes, limit " + StreamFormat.MAX_CHUNK_PLAINTEXT_BYTES);
    }
    long seq = nextSequence;
    byte[] ct =
        aead.encrypt(
            StreamFormat.nonce(seq), plaintext, StreamFormat.associatedData(direction, transcriptDigest, seq, last));
    nextSequence++;
    finished = last;
    return EncryptedChunk.newBuilder().setSequence(seq).setFinal(last).setCiphertext(ByteString.copyFrom(ct)).build();
  }

  /** True once the final chunk was sealed. */
  public synchronized boolean isFinished() {
    return finished;
  }

  public StreamDirection direction() {
    return direction;
  }
}
