package org.openshard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.testing.Await;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.PeerListing;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;
import org.openshard.testing.Ports;

/** Network against a real loopback registry with real sellers. */
class NetworkTest {
  @TempDir Path dir;
  private EchoServer echo;
  private RegistryServer registry;
  private final List<SellerNode> sellers = new ArrayList<>();
  private final List<FileReplayCache> replays = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    registry =
        RegistryServer.builder()
            .listen(ListenAddress.loopback(0))
            .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
            .start();
  }

  private SellerNode seller(String id, String service, long outputPrice) throws Exception {
    FileReplayCache replay = FileReplayCache.open(dir.resolve(id + ".replay"));
    replays.add(replay);
    Offering.Builder o = Offering.builder().id(id).capability(Offering.Kind.INFERENCE).serviceId(service).upstreamModel("m");
    if (outputPrice > 0) {
      o.outputPricePerMillion(outputPrice);
    }
    SellerNode n =
        SellerNode.builder()
            .identityKey(Secp256k1PrivateKey.generate())
            .offerings(List.of(o.build()))
            .upstream(echo.baseUrl(), null)
            .registries(List.of(registry.target()))
            .replayCache(replay)
            .auditLog(dir.resolve(id + ".audit"))
            .listen(ListenAddress.loopback(0))
            .build()
            .start();
    sellers.add(n);
    return n;
  }

  @AfterEach
  void stop() throws Exception {
    for (SellerNode s : sellers) {
      s.close();
    }
    for (FileReplayCache r : replays) {
      r.close();
    }
    registry.close();
    echo.close();
  }

  @Test
  void discoverAppliesServiceAndPriceFilters() throws Exception {
    SellerNode cheap = seller("cheap", "svc-a", 0);
    SellerNode dear = seller("dear", "svc-a", 5_000_000);
    seller("other", "svc-b", 0);
    try (Network net = Network.connect(registry.target())) {
      Await.until(Duration.ofSeconds(15), () -> net.discover("svc-a").size() == 2, "both svc-a sellers listed");
      List<PeerListing> capped = net.discover("svc-a", DiscoverFilters.builder().maxOutputPrice(1_000_000).build());
      assertEquals(List.of(cheap.peerId()), capped.stream().map(p -> p.getRegistration().getPeerId()).toList());
      assertEquals(1, net.discover("svc-b").size());
      assertEquals(0, net.discover("svc-none").size());
      assertEquals(1, net.discover("svc-a", DiscoverFilters.builder().maxResults(1).build()).size());
      assertTrue(net.discover("svc-a").stream().anyMatch(p -> p.getRegistration().getPeerId().equals(dear.peerId())));
    }
  }

  @Test
  void watchSeesSellersComeAndGo() throws Exception {
    try (Network net = Network.connect(registry.target())) {
      List<String> events = new CopyOnWriteArrayList<>();
      try (Network.Subscription s =
          net.watch(
              new SellerListener() {
                @Override
                public void added(PeerListing p) {
                  events.add("added " + p.getRegistration().getPeerId());
                }

                @Override
                public void removed(String peerId, String reason) {
                  events.add("removed " + peerId + " " + reason);
                }

                @Override
                public void snapshotDone() {
                  events.add("snapshot");
                }
              })) {
        Await.until(Duration.ofSeconds(15), () -> events.contains("snapshot"), "the empty snapshot");
        SellerNode n = seller("w", "svc-w", 0);
        Await.until(Duration.ofSeconds(15), () -> events.contains("added " + n.peerId()), "the new seller");
        n.close();
        Await.until(Duration.ofSeconds(15), () -> events.contains("removed " + n.peerId() + " deregistered"), "the seller leaving");
      }
    }
  }

  @Test
  void failsOverToTheNextRegistryAndServesAnchorSets() throws Exception {
    SellerNode n = seller("f", "svc-f", 0);
    String dead = "127.0.0.1:" + Ports.free();
    try (Network net = Network.connect(dead, registry.target())) {
      Await.until(Duration.ofSeconds(15), () -> net.discover("svc-f").size() == 1, "the seller, through the second registry");
      assertEquals(n.peerId(), net.discover("svc-f").get(0).getRegistration().getPeerId());
      // The second registry answers (no failover on a refusal): nothing is published before a buyer enrols.
      io.grpc.StatusRuntimeException none = assertThrows(io.grpc.StatusRuntimeException.class, net::anchorSet);
      assertEquals(io.grpc.Status.Code.NOT_FOUND, none.getStatus().getCode());
    }
    try (Network net = Network.connect(dead)) {
      NetworkException e = assertThrows(NetworkException.class, () -> net.discover("svc-f"));
      assertTrue(e.getMessage().contains(dead), e.getMessage());
    }
  }

  @Test
  void connectNeedsARegistry() {
    assertThrows(IllegalArgumentException.class, Network::connect);
    assertThrows(IllegalArgumentException.class, () -> Network.connect(" "));
  }

}
