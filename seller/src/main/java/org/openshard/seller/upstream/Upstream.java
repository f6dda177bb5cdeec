package org.openshard.seller.upstream;

/** An OpenAI-compatible model server the seller forwards decrypted requests to. */
public interface Upstream extends AutoCloseable {
  /**
   * Starts a chat-completions request. Results go to {@code listener}; the response body is read
   * only as fast as {@code flow} allows.
   */
  UpstreamCall start(UpstreamRequest request, UpstreamListener listener, FlowControl flow);

  @Override
  default void close() {}
}
