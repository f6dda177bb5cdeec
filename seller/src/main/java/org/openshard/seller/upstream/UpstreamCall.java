package org.openshard.seller.upstream;

/** A running upstream request. */
@FunctionalInterface
public interface UpstreamCall {
  /** Cancels the upstream request (resets the HTTP stream / closes the connection). Idempotent. */
  void cancel();
}
