package org.openshard.seller.upstream;

/**
 * Backpressure from the buyer's stream to the upstream read: the upstream client reads the next
 * piece of the response only once the consumer is ready for more.
 */
@FunctionalInterface
public interface FlowControl {
  /** Runs {@code resume} (on any thread) once the consumer can take more; at once if it can now. */
  void whenReady(Runnable resume);

  /** No backpressure: always ready. */
  FlowControl UNBOUNDED = Runnable::run;
}
