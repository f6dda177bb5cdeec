package org.openshard.seller.registry;

import java.util.function.Supplier;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.SellerRegistration;

/**
 * The seller's connection to its registries: register at start, heartbeat with live load, register
 * again when the registration changes (a rotated key), deregister on shutdown.
 */
public interface RegistryLink extends AutoCloseable {
  /**
   * Registers now (throwing if a registry refuses) and starts heartbeats.
   *
   * @param registration builds the current registration, unsigned, each time it is called (its
   *     timestamp increases)
   * @param load the live load, read at each heartbeat
   */
  void start(Supplier<SellerRegistration> registration, Supplier<LoadReport> load);

  /** The registration changed (e.g. a new encryption key): register again now. */
  void refresh();

  /** Removes the seller from the registries at once and stops heartbeats. */
  void deregister();

  /** Stops heartbeats without deregistering. */
  @Override
  void close();

  /** No registry: the seller is reachable only by buyers that know its address. */
  RegistryLink NONE =
      new RegistryLink() {
        @Override
        public void start(Supplier<SellerRegistration> registration, Supplier<LoadReport> load) {}

        @Override
        public void refresh() {}

        @Override
        public void deregister() {}

        @Override
        public void close() {}
      };
}
