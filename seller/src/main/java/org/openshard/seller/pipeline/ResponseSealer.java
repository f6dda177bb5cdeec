package org.openshard.seller.pipeline;

import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.StreamPayload;

/** Encrypts the seller-to-buyer stream of one session, chunk by chunk, in order. */
@FunctionalInterface
public interface ResponseSealer {
  /**
   * Seals the next chunk; after a chunk with {@code last = true} nothing more may be sealed.
   *
   * @throws StageException STREAM_INTEGRITY if the stream was already finished, LIMIT_EXCEEDED if
   *     the payload is too large
   */
  EncryptedChunk seal(StreamPayload payload, boolean last) throws StageException;
}
