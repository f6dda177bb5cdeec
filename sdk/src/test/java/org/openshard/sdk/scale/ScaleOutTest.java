package org.openshard.sdk.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.testing.Await;
import org.openshard.testing.grpc.RecordingSellerProxy;
import org.openshard.buyer.BuyerClient;
import org.openshard.buyer.ChatResult;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.RedisReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.RoutingOptions;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.client.RegistryClient;
import org.openshard.runtime.ListenAddress;
import org.openshard.sdk.Network;
import org.openshard.seller.SellerNode;
import org.openshard.seller.credentials.AnchorSets;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.registry.RegistryLink;
import org.openshard.testing.RedisServer;

/**
 * Scale-out over loopback: ONE redis-server behind a registry PAIR (two RegistryServer replicas on
 * the same Redis keys) and ONE nullifier replay store (RedisReplayCache, same prefix) shared by
 * three sellers; two in-process buyers. Requests through both buyers succeed; a captured envelope
 * replayed to any seller is rejected (NULLIFIER_REPLAYED by the store at a replica of the seller
 * that served it, which never saw the envelope); then one registry replica stops and sellers
 * (heartbeats), buyers (Watch, requests) and the SDK's Network keep working through the other.
 */
class ScaleOutTest {
  private static final String SERVICE = "echo-scale";
  private static final String REPLAY_PREFIX = "openshard:nullifier:scaleout:";

  @TempDir Path dir;
  private RedisServer redis;
  private RegistryServer regA;
  private RegistryServer regB;
  private EchoServer echo;
  private final List<Seller> sellers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private BuyerClient buyer1;
  private BuyerClient buyer2;

  private record Seller(Secp256k1PrivateKey key, SellerNode node, RecordingSellerProxy proxy, RedisReplayCache replay) {}

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.startPrivate();
    RegistryConfig cfg = RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(400)).build();
    regA = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(cfg).redis(redis.uri()).start();
    regB = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(cfg).redis(redis.uri()).start();
    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    // Sellers 0 and 1 heartbeat to A first (B as fail-over); seller 2 to B first.
    String ab = regA.target() + "," + regB.target();
    String ba = regB.target() + "," + regA.target();
    for (int i = 0; i < 3; i++) {
      sellers.add(startSeller("s" + i, i < 2 ? ab : ba));
    }
    buyer1 = buyer("b1", regA.target(), regB.target());
    buyer2 = buyer("b2", regB.target(), regA.target());
    Await.until(Duration.ofSeconds(20), () -> servable(buyer1) == 3 && servable(buyer2) == 3, "both buyers see the three sellers");
  }

  private Seller startSeller(String id, String registryGroup) throws Exception {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    RecordingSellerProxy proxy = new RecordingSellerProxy();
    RedisReplayCache replay = RedisReplayCache.connect(URI.create(redis.uri()), Duration.ofSeconds(2), REPLAY_PREFIX);
    SellerNode node =
        SellerNode.builder()
            .identityKey(key)
            .offerings(List.of(offering(id)))
            .upstream(echo.baseUrl(), null)
            .registries(List.of(registryGroup))
            .replayCache(replay)
            .nullifierEpochs(NullifierEpochs.of(3600, 256))
            // Two buyers enrol one after the other, so anchor-set epochs advance during start-up;
            // refresh often so every seller trusts the newest set quickly.
            .anchorRefresh(Duration.ofMillis(200))
            .auditLog(dir.resolve(id + ".audit"))
            .listen(ListenAddress.loopback(0))
            .advertise(proxy.target())
            .build()
            .start();
    proxy.forwardTo(node.target());
    return new Seller(key, node, proxy, replay);
  }

  private static Offering offering(String id) {
    return Offering.builder().id(id).capability(Offering.Kind.INFERENCE).serviceId(SERVICE).upstreamModel("echo-model").build();
  }

  private BuyerClient buyer(String name, String... registries) throws Exception {
    BuyerClient.Builder b = BuyerClient.builder().credentialFile(dir.resolve(name + ".credential")).readyTimeout(Duration.ofSeconds(20));
    for (String r : registries) {
      b.registry(r);
    }
    return b.build();
  }

  private static int servable(BuyerClient b) {
    var m = b.models();
    return m.getModelsCount() == 0 ? 0 : m.getModels(0).getSellerCount();
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (buyer1 != null) {
      buyer1.close();
    }
    if (buyer2 != null) {
      buyer2.close();
    }
    for (Seller s : sellers) {
      s.node.close();
      s.proxy.close();
      s.replay.close();
    }
    for (RegistryServer r : new RegistryServer[] {regA, regB}) {
      if (r != null) {
        r.close();
      }
    }
    if (echo != null) {
      echo.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String body(String prompt) {
    return "{\"model\":\"" + SERVICE + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  private static ChatResult chat(BuyerClient b, String prompt, String pin) throws Exception {
    RoutingOptions r = pin == null ? RoutingOptions.getDefaultInstance() : RoutingOptions.newBuilder().setPeerId(pin).build();
    ChatResult res;
    for (int attempt = 1; ; attempt++) {
      try {
        res = b.chat(body(prompt), r);
        break;
      } catch (org.openshard.buyer.BuyerException e) {
        // A seller fetches an anchor-set epoch it does not know yet at most once a second; a buyer
        // that just moved to a newer epoch can hit that window. Anything else is a failure.
        if (attempt >= 5 || !String.valueOf(e.getMessage()).contains("UNKNOWN_ANCHOR_SET")) {
          throw e;
        }
        Thread.sleep(400);
      }
    }
    assertEquals(prompt, res.content(), "the echo answer came back decrypted");
    return res;
  }

  /** Every seller serves through every buyer (pinned), so each pairing is exercised. */
  private void everyPairServes(String tag) throws Exception {
    for (BuyerClient b : List.of(buyer1, buyer2)) {
      for (Seller s : sellers) {
        ChatResult r = chat(b, tag + " via " + s.node.peerId().substring(2, 8), s.node.peerId());
        assertEquals(s.node.peerId(), r.summary().getSellerId());
      }
      chat(b, tag + " unpinned", null);
    }
  }

  @Test
  void pairOfRegistriesSharedReplayStoreAndReplicaLoss() throws Exception {
    everyPairServes("before");

    // --- Replay: a captured envelope is rejected by every seller sharing the store. ---
    ChatResult served = chat(buyer1, "capture me", null);
    Seller origin = sellers.stream().filter(s -> s.node.peerId().equals(served.summary().getSellerId())).findFirst().orElseThrow();
    List<PrivacyEnvelope> seen = origin.proxy.envelopes;
    PrivacyEnvelope captured = seen.get(seen.size() - 1);
    long echoBefore = echo.stats().requests();
    for (Seller s : sellers) {
      ErrorCode code = replay(s.node.target(), captured);
      assertNotEquals(ErrorCode.ERROR_CODE_UNSPECIFIED, code, "seller " + s.node.peerId() + " accepted a replay");
      if (s == origin) {
        assertEquals(ErrorCode.NULLIFIER_REPLAYED, code);
      }
    }
    // A replica of the origin seller (same identity, its own process state, not registered) shares
    // only the Redis store with it: it has never seen this envelope, yet refuses it as a replay.
    SellerNode replica = startReplica(origin);
    closeables.add(replica);
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, replay(replica.target(), captured));
    assertEquals(echoBefore, echo.stats().requests(), "no replay reached the upstream");

    // --- Lose registry replica A. ---
    Network net = Network.connect(regA.target(), regB.target());
    closeables.add(net);
    assertEquals(3, net.discover(SERVICE).size());
    List<String> watchLog = new CopyOnWriteArrayList<>();
    Network.Subscription sub = net.watch(new org.openshard.sdk.SellerListener() {
      @Override
      public void added(PeerListing seller) {
        watchLog.add("added " + seller.getRegistration().getPeerId());
      }

      @Override
      public void removed(String peerId, String reason) {
        watchLog.add("removed " + peerId + " " + reason);
      }

      @Override
      public void snapshotDone() {
        watchLog.add("snapshot");
      }
    });
    closeables.add(sub);
    Await.until(Duration.ofSeconds(20), () -> watchLog.contains("snapshot"), "the SDK watch snapshot");
    assertEquals(regA.target(), sub.registry());

    long stoppedAt = System.currentTimeMillis();
    regA.close();
    regA = null;

    // Sellers 0 and 1 heartbeated to A: they must now heartbeat through B, or they would expire.
    Await.until(Duration.ofSeconds(20), 
        () -> {
          Map<String, Long> hb = heartbeats(net.discover(SERVICE));
          return hb.size() == 3 && hb.values().stream().allMatch(t -> t > stoppedAt + 1_000);
        },
        "all three sellers heartbeating through B after A stopped");
    // Still listed several heartbeat deadlines later.
    Thread.sleep(2_000);
    Map<String, Long> hb = heartbeats(net.discover(SERVICE));
    assertEquals(sellers.stream().map(s -> s.node.peerId()).collect(Collectors.toSet()), hb.keySet());
    Await.until(Duration.ofSeconds(20), () -> regB.target().equals(sub.registry()) && watchLog.stream().filter("snapshot"::equals).count() >= 2,
        "the SDK watch moved to B and re-snapshotted");
    assertFalse(watchLog.stream().anyMatch(l -> l.startsWith("removed")), "no seller was dropped: " + watchLog);
    AnchorSet anchors = net.anchorSet();
    assertTrue(anchors.getEpoch() > 0 || anchors.getAnchorsCount() > 0, "anchor set served by B");

    assertEquals(3, servable(buyer1));
    assertEquals(3, servable(buyer2));
    everyPairServes("after");
    // Unpinned traffic through both buyers keeps being served, by sellers all three of which are live.
    Set<String> servers = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      servers.add(chat(i % 2 == 0 ? buyer1 : buyer2, "spread " + i, null).summary().getSellerId());
    }
    assertTrue(hb.keySet().containsAll(servers), servers.toString());
  }

  private static Map<String, Long> heartbeats(List<PeerListing> listings) {
    return listings.stream()
        .collect(Collectors.toMap(p -> p.getRegistration().getPeerId(), PeerListing::getLastHeartbeatMs, Math::max));
  }

  /** A second node with the origin's identity and the shared replay store; it does not register. */
  private SellerNode startReplica(Seller origin) throws Exception {
    RedisReplayCache replay = RedisReplayCache.connect(URI.create(redis.uri()), Duration.ofSeconds(2), REPLAY_PREFIX);
    closeables.add(replay::close);
    RegistryClient anchors = RegistryClient.connect(regB.target());
    closeables.add(anchors::close);
    return SellerNode.builder()
        .identityKey(origin.key)
        .offerings(origin.node.offerings())
        .upstream(echo.baseUrl(), null)
        .registry(new AnchorsOnly(anchors))
        .replayCache(replay)
        .nullifierEpochs(NullifierEpochs.of(3600, 256))
        .auditLog(dir.resolve("replica.audit"))
        .listen(ListenAddress.loopback(0))
        .build()
        .start();
  }

  /** Reads anchor sets from a registry without registering (a replica behind the origin's address). */
  private static final class AnchorsOnly implements RegistryLink, AnchorSets.Source {
    private final RegistryClient client;

    AnchorsOnly(RegistryClient client) {
      this.client = client;
    }

    @Override
    public Optional<AnchorSet> get(long epoch) {
      return Optional.of(client.anchorSet(epoch));
    }

    @Override
    public void start(Supplier<SellerRegistration> registration, Supplier<LoadReport> load) {}

    @Override
    public void refresh() {}

    @Override
    public void deregister() {}

    @Override
    public void close() {}
  }

  /** Sends {@code env} straight to a seller; returns the error code it answered with (UNSPECIFIED = served). */
  private static ErrorCode replay(String target, PrivacyEnvelope env) throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      List<SellerEvent> events = new CopyOnWriteArrayList<>();
      CompletableFuture<Throwable> end = new CompletableFuture<>();
      StreamObserver<BuyerFrame> req =
          SellerGrpc.newStub(ch)
              .infer(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(SellerEvent ev) {
                      events.add(ev);
                    }

                    @Override
                    public void onError(Throwable t) {
                      end.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                      end.complete(null);
                    }
                  });
      req.onNext(BuyerFrame.newBuilder().setEnvelope(env).build());
      Throwable t = end.get(10, TimeUnit.SECONDS);
      assertFalse(events.stream().anyMatch(SellerEvent::hasChunk), "nothing served to a replay at " + target);
      return events.stream()
          .filter(SellerEvent::hasError)
          .map(e -> e.getError().getCode())
          .findFirst()
          .orElseGet(() -> ErrorStatuses.detailOf(t).map(ErrorDetail::getCode).orElse(ErrorCode.ERROR_CODE_UNSPECIFIED));
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

}
