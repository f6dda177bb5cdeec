package org.openshard.bridge.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;

/**
 * Where the bridge sends OpenAI requests once authenticated, decrypted and validated. Requests are
 * the client's JSON objects (unknown fields included) after E2EE fields were restored; responses
 * are OpenAI JSON objects that the bridge then encrypts, frames and receipts.
 *
 * <p>Failures: complete futures (or fail publishers) with {@link BackendException} to choose the
 * HTTP status and OpenAI error type; any other exception becomes 502 {@code upstream_error}.
 *
 * <p>Streaming: the future completes once the backend has accepted the request (so a failure before
 * the first chunk still becomes a proper HTTP error); the publisher then emits {@code
 * chat.completion.chunk} objects (usage chunk included when the backend has one) and completes; it
 * must honour cancellation (the client went away) by cancelling upstream work. The terminating
 * {@code [DONE]} is the bridge's job, not the backend's.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ChatBackend extends AutoCloseable {
  /** A non-streaming chat completion. */
  CompletableFuture<ObjectNode> chatCompletion(ObjectNode request, RequestContext ctx);

  /** A streaming chat completion: a publisher of chunk objects. */
  CompletableFuture<Publisher<ObjectNode>> streamChatCompletion(ObjectNode request, RequestContext ctx);

  /** A legacy completion ({@code /v1/completions}); unsupported unless overridden. */
  default CompletableFuture<ObjectNode> completion(ObjectNode request, RequestContext ctx) {
    return CompletableFuture.failedFuture(BackendException.unsupported("/v1/completions"));
  }

  /** A streaming legacy completion; unsupported unless overridden. */
  default CompletableFuture<Publisher<ObjectNode>> streamCompletion(ObjectNode request, RequestContext ctx) {
    return CompletableFuture.failedFuture(BackendException.unsupported("/v1/completions"));
  }

  /** The OpenAI model list ({@code {"object":"list","data":[...]}}). */
  CompletableFuture<ObjectNode> models(RequestContext ctx);

  /**
   * How the attestation describes this deployment's serving: {@code "direct"} (one upstream) or
   * {@code "aggregator"} (a market of sellers).
   */
  default String serving() {
    return "direct";
  }

  @Override
  default void close() {}
}
