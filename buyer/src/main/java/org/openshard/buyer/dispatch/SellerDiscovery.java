package org.openshard.buyer.dispatch;

import java.util.concurrent.CompletableFuture;

/** Asks the registry for sellers of a service now (when the index has none), filling the index. */
public interface SellerDiscovery {
  /** Completes (never exceptionally) once the index has been refreshed or the attempt gave up. */
  CompletableFuture<Void> refresh(String serviceId);

  /** No registry: nothing to refresh. */
  SellerDiscovery NONE = serviceId -> CompletableFuture.completedFuture(null);
}
