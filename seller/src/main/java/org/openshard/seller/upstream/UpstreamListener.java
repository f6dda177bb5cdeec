package org.openshard.seller.upstream;

import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.StageException;

/**
 * Receives one upstream call's results, serially (never two callbacks at once). Exactly one of
 * {@link #onComplete} and {@link #onError} ends the call, unless it was cancelled (then neither
 * need follow).
 */
public interface UpstreamListener {
  /** One {@code chat.completion.chunk} JSON object, as it arrived (streaming requests). */
  void onChunk(String chunkJson);

  /** The whole {@code chat.completion} JSON object, unchanged (non-streaming requests). */
  void onResponse(String responseJson);

  /** The call succeeded; {@code usage} holds the counts the upstream reported (zeros if none). */
  void onComplete(Usage usage);

  /** The call failed: UPSTREAM_ERROR or UPSTREAM_TIMEOUT. */
  void onError(StageException error);
}
