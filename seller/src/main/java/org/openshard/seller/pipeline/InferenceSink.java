package org.openshard.seller.pipeline;

import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.Usage;

/**
 * Where one request's events go (the Infer stream). Called in protocol order: {@link #accepted},
 * {@link #chunk}s, {@link #usage}, then exactly one terminal call — {@link #completed} or {@link
 * #failed}. Calls are never concurrent.
 */
public interface InferenceSink {
  void accepted(Accepted accepted);

  void chunk(EncryptedChunk chunk);

  void usage(Usage usage);

  /** Terminal: the request succeeded; the stream ends after the receipt. */
  void completed(SignedReceipt receipt);

  /** Terminal: the request failed. */
  void failed(StageException error);

  /** Backpressure: runs {@code resume} once the stream can take more chunks (at once if it can). */
  void whenReady(Runnable resume);
}
