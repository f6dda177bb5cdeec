package org.openshard.bridge.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openshard.bridge.BridgeServer;
import org.openshard.bridge.auth.ApiKeys;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;

/**
 * A registry, one seller registered with it (in front of an echo upstream) and a bridge whose
 * status page watches the registry, all on loopback. Also a {@code main} for manual checks: prints
 * the dashboard URL and the seller's peer id, then runs until killed.
 */
public final class DashboardCluster implements AutoCloseable {
  final Path dir;
  final EchoServer echo;
  final RegistryServer registry;
  final FileReplayCache replay;
  final SellerNode seller;
  final RegistryDashboardSource source;
  final OpenAiUpstreamBackend backend;
  final BridgeServer bridge;

  private DashboardCluster(ApiKeys keys) throws Exception {
    dir = Files.createTempDirectory("dashboard-cluster");
    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    registry =
        RegistryServer.builder()
            .listen(ListenAddress.loopback(0))
            .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
            .start();
    replay = FileReplayCache.open(dir.resolve("seller.replay"));
    seller =
        SellerNode.builder()
            .identityKey(Secp256k1PrivateKey.generate())
            .offerings(
                List.of(
                    Offering.builder()
                        .id("o1")
                        .capability(Offering.Kind.INFERENCE)
                        .serviceId("echo-1")
                        .upstreamModel("echo-model")
                        .build()))
            .upstream(echo.baseUrl(), null)
            .registries(List.of(registry.target()))
            .replayCache(replay)
            .nullifierEpochs(NullifierEpochs.of(3600, 256))
            .auditLog(dir.resolve("seller.audit"))
            .listen(ListenAddress.loopback(0))
            .build()
            .start();
    source = RegistryDashboardSource.connect(registry.target());
    backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build();
    BridgeServer.Builder b = BridgeServer.builder().backend(backend).dashboardSource(source);
    if (keys != null) {
      b.apiKeys(keys);
    }
    bridge = b.start();
  }

  static DashboardCluster start(ApiKeys keys) throws Exception {
    return new DashboardCluster(keys);
  }

  @Override
  public void close() throws Exception {
    bridge.close();
    backend.close();
    source.close();
    seller.close();
    replay.close();
    registry.close();
    echo.close();
  }

  public static void main(String[] args) throws Exception {
    DashboardCluster c = start(null);
    System.out.println("DASHBOARD " + c.bridge.dashboardUrl());
    System.out.println("SELLER " + c.seller.peerId());
    System.out.flush();
    Thread.currentThread().join();
  }
}
