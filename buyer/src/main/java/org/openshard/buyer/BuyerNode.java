package org.openshard.buyer;

import java.io.IOException;
import org.openshard.buyer.credential.CredentialService;
import org.openshard.buyer.credential.RingCredentialService;
import org.openshard.buyer.gateway.GatewayService;
import org.openshard.buyer.gateway.PeerPin;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.MetricsServer;

/**
 * A running buyer gateway: the {@link BuyerRuntime} served as the {@code openshard.v1.Gateway}
 * gRPC service (plus health and reflection), and optionally Prometheus metrics. Used by {@code
 * ./openshard buyer} and by tests.
 *
 * <pre>{@code
 * try (BuyerNode node = BuyerNode.start(BuyerConfig.builder()
 *     .registry("127.0.0.1:7000")
 *     .credentialFile(Path.of("buyer.credential"))
 *     .listen(ListenAddress.parse("127.0.0.1:8443"))
 *     .build())) {
 *   System.out.println(node.target());
 * }
 * }</pre>
 */
public final class BuyerNode implements AutoCloseable {
  private final BuyerRuntime runtime;
  private final GrpcServer server;
  private final MetricsServer metrics;

  private BuyerNode(BuyerRuntime runtime, GrpcServer server, MetricsServer metrics) {
    this.runtime = runtime;
    this.server = server;
    this.metrics = metrics;
  }

  /**
   * Loads (or creates) the credential, enrols it, waits for the registry snapshot and an anchor set
   * with the buyer's anchor, then listens.
   */
  public static BuyerNode start(BuyerConfig config) throws IOException, BuyerException {
    return start(config, RingCredentialService.open(config.credentialFile(), config.options().ringSize()));
  }

  static BuyerNode start(BuyerConfig config, CredentialService credential) throws IOException, BuyerException {
    // The gateway's listener never blocks; without payments nothing else on the seller streams'
    // callbacks does either, so they run on the transport threads (one hop fewer per event).
    BuyerRuntime rt = BuyerRuntime.start(config, credential, config.payments() == null);
    GrpcServer server = null;
    MetricsServer metrics = null;
    try {
      GrpcServer.Builder b =
          GrpcServer.builder(config.listen())
              .addService(new GatewayService(rt.engine(), rt.catalog()))
              .intercept(new PeerPin());
      if (config.announce()) {
        b.announceAs("buyer");
      }
      server = b.start();
      if (config.metrics() != null) {
        metrics = MetricsServer.start(config.metrics(), rt.metricsRegistry(), config.announce() ? "buyer" : null);
      }
      return new BuyerNode(rt, server, metrics);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdown(0);
      }
      rt.close();
      throw e;
    }
  }

  /** {@code host:port} of the gateway. */
  public String target() {
    return server.target();
  }

  public int port() {
    return server.port();
  }

  /** Port of the metrics endpoint, or -1. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** Stops accepting calls, lets running ones finish (up to 5 s), then stops everything. */
  @Override
  public void close() {
    server.shutdown(5_000);
    if (metrics != null) {
      metrics.close();
    }
    runtime.close();
  }
}
