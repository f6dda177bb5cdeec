package org.openshard.buyer;

import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.RequestSummary;

/**
 * Receives one private chat completion as it happens. Calls for one request are never concurrent.
 * A call ends with exactly one of {@link #onSummary} (success) or {@link #onError} (failure).
 */
public interface ChatListener {
  /** One decrypted chat.completion.chunk (streaming requests). */
  default void onChunk(ChatChunk chunk) {}

  /** The decrypted chat.completion (non-streaming requests). */
  default void onCompletion(ChatCompletion completion) {}

  /** Success: who served, what it cost, the verified receipt id. */
  void onSummary(RequestSummary summary);

  /** Failure, typed. After tokens have started this still arrives (the request is never re-sent). */
  void onError(BuyerException error);
}
