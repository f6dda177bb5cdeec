package org.openshard.buyer;

/** A running chat completion. */
public interface ChatHandle {
  /** Cancels the request; the seller is told, and it cancels its upstream call. Idempotent. */
  void cancel();
}
