package org.openshard.cli.demo;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openshard.bridge.BridgeServer;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.replay.InMemoryReplayStore;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.BuyerNode;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.credentials.replay.StoreUnavailableException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.ModelInfo;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;

/**
 * The whole market in one JVM on loopback: a registry, an echo upstream (or a given one), three
 * sellers of one service at different prices, a buyer gateway and the HTTP bridge in front of it.
 * Every listener prints its LISTENING line. {@link #close()} stops everything, last started first.
 */
public final class DemoStack implements AutoCloseable {
  private final DemoConfig config;
  private final PrintStream out;
  private final Path dir;
  private final List<AutoCloseable> started = new ArrayList<>();
  private EchoServer echo;
  private RegistryServer registry;
  private final List<SellerNode> sellers = new ArrayList<>();
  private BuyerNode buyer;
  private BridgeServer bridge;
  private String upstreamUrl;
  private boolean closed;

  private DemoStack(DemoConfig config, PrintStream out, Path dir) {
    this.config = config;
    this.out = out;
    this.dir = dir;
  }

  /** Starts everything and waits (bounded) until the buyer sees all sellers. */
  public static DemoStack start(DemoConfig config, PrintStream out) throws IOException, BuyerException {
    Path dir = Files.createTempDirectory("openshard-demo");
    DemoStack s = new DemoStack(config, out, dir);
    try {
      s.doStart();
      return s;
    } catch (IOException | BuyerException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void doStart() throws IOException, BuyerException {
    ListenAddress loopback = ListenAddress.loopback(0);
    if (config.upstreamUrl() == null) {
      echo = EchoServer.builder().listen(loopback).models(List.of(config.upstreamModel())).announce(true).start();
      started.add(echo);
      upstreamUrl = echo.baseUrl();
    } else {
      upstreamUrl = config.upstreamUrl();
    }
    registry =
        RegistryServer.builder()
            .listen(config.registryListen())
            .config(RegistryConfig.builder().heartbeatInterval(Duration.ofSeconds(2)).build())
            .announce(true)
            .start();
    started.add(registry);
    enrollDecoyAnchors(registry.target(), out);
    org.openshard.payments.ledger.InProcessLedger ledger = null;
    org.openshard.buyer.payments.BuyerPayments payments = null;
    java.time.Clock clock = java.time.Clock.systemUTC();
    if (config.priced()) {
      try {
        // One in-process ledger shared by the buyer and every seller; the buyer's wallet gets 100 test USDC.
        ledger = org.openshard.payments.ledger.InProcessLedger.inMemory(clock, 3600);
        org.openshard.payments.ledger.WalletKey wallet = org.openshard.payments.ledger.WalletKey.generate();
        ledger.mint(wallet.address(), org.openshard.payments.money.Usdc.parse("100"));
        payments =
            org.openshard.buyer.payments.BuyerPayments.open(
                ledger, wallet, dir.resolve("buyer.channels"), org.openshard.payments.channel.BuyerPolicy.defaults(), clock);
        started.add(payments);
      } catch (Exception e) {
        throw new IOException("demo payments: " + e.getMessage(), e);
      }
    }
    for (DemoSeller d : config.sellers()) {
      FileReplayCache replay;
      try {
        replay = FileReplayCache.open(dir.resolve(d.offeringId() + ".replay"));
      } catch (StoreUnavailableException e) {
        throw new IOException("seller replay store: " + e.getMessage(), e);
      }
      started.add(replay);
      Offering.Builder o =
          Offering.builder()
              .id(d.offeringId())
              .capability(Offering.Kind.INFERENCE)
              .serviceId(config.serviceId())
              .upstreamModel(config.upstreamModel());
      if (config.priced()) {
        o.inputPricePerMillion(d.inputPerMillion()).outputPricePerMillion(d.outputPerMillion());
      }
      Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
      SellerNode.Builder sb = SellerNode.builder();
      if (ledger != null) {
        org.openshard.payments.channel.FileChannelStore store;
        try {
          store = org.openshard.payments.channel.FileChannelStore.open(dir.resolve("channels-" + d.offeringId()));
        } catch (Exception e) {
          throw new IOException("seller channel store: " + e.getMessage(), e);
        }
        started.add(store);
        sb.payments(
            new org.openshard.payments.channel.ChannelValidator(
                org.openshard.payments.EthAddress.of(identity.publicKey().ethereumAddress()), store, ledger, clock),
            Duration.ofSeconds(10));
      }
      SellerNode node =
          sb
              .identityKey(identity)
              .offerings(List.of(o.build()))
              .upstream(upstreamUrl, System.getenv("OPENSHARD_UPSTREAM_API_KEY"))
              .registries(List.of(registry.target()))
              .replayCache(replay)
              // The default 8 sessions per credential per hour would stop a long demo.
              .nullifierEpochs(NullifierEpochs.of(3600, 1024))
              .auditLog(dir.resolve(d.offeringId() + ".audit"))
              .listen(loopback)
              .announce(true)
              .build()
              .start();
      started.add(node);
      sellers.add(node);
      d.peerId(node.peerId());
    }
    buyer =
        BuyerNode.start(
            BuyerConfig.builder()
                .registry(registry.target())
                .credentialFile(dir.resolve("buyer.credential"))
                .listen(config.buyerListen())
                .readyTimeout(Duration.ofSeconds(30))
                .announce(true)
                .payments(payments)
                .build());
    started.add(buyer);
    RequestLog log = new RequestLog(out, config.sellers(), config.priced());
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(buyer.target())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .intercept(log)
            .build();
    started.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    awaitSellers(channel, config.sellers().size(), Duration.ofSeconds(30));
    GatewayBackend backend = GatewayBackend.builder(channel).build();
    InMemoryReplayStore replay = new InMemoryReplayStore();
    started.add(replay::close);
    org.openshard.bridge.dashboard.RegistryDashboardSource watched =
        org.openshard.bridge.dashboard.RegistryDashboardSource.connect(registry.target());
    started.add(watched::close);
    BuyerChannelsSource dashboard = new BuyerChannelsSource(watched, payments == null ? null : payments.channels());
    bridge =
        BridgeServer.builder()
            .listen(config.bridgeListen())
            .backend(backend)
            .serviceKeys(ServiceKeys.generate())
            .identityKey(Secp256k1PrivateKey.generate())
            .replayStore(replay)
            .dashboardSource(dashboard)
            .announce(true)
            .start();
    started.add(bridge);
  }

  /**
   * A real market has many buyers' anchors to hide among; the demo has one buyer, so it enrols
   * decoy anchors (from throw-away credentials) before the buyer does. The buyer's rings then have
   * {@code DECOY_ANCHORS + 1} members instead of one.
   */
  static final int DECOY_ANCHORS = 7;

  private static void enrollDecoyAnchors(String registryTarget, PrintStream out) throws IOException {
    try (org.openshard.registry.client.RegistryClient rc =
        org.openshard.registry.client.RegistryClient.connect(registryTarget)) {
      for (int i = 0; i < DECOY_ANCHORS; i++) {
        rc.enrollAnchor(
            org.openshard.credentials.anchors.AnchorEnrollments.create(
                org.openshard.credentials.BuyerCredential.generate(), System.currentTimeMillis()));
      }
    } catch (RuntimeException e) {
      throw new IOException("demo: could not enrol decoy anchors: " + e.getMessage(), e);
    }
    out.println("demo: enrolled " + DECOY_ANCHORS + " decoy buyer anchors, so rings have " + (DECOY_ANCHORS + 1) + " members");
  }

  /** Waits until the buyer's model list shows all sellers of the service. */
  private void awaitSellers(ManagedChannel channel, int expected, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      try {
        ListModelsResponse r =
            GatewayGrpc.newBlockingStub(channel)
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .listModels(ListModelsRequest.getDefaultInstance());
        seen = 0;
        for (ModelInfo m : r.getModelsList()) {
          if (m.getId().equals(config.serviceId())) {
            seen = m.getSellerCount();
          }
        }
        if (seen >= expected) {
          return;
        }
      } catch (RuntimeException e) {
        // not ready yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for sellers");
      }
    }
    throw new IllegalStateException(
        "the buyer saw " + seen + " of " + expected + " sellers of " + config.serviceId() + " within " + limit.toSeconds() + " s");
  }

  public DemoConfig config() {
    return config;
  }

  /** True if the sellers are priced (paid through payment channels). */
  public boolean priced() {
    return config.priced();
  }

  /** {@code http://host:port/v1} of the bridge. */
  public String bridgeUrl() {
    return bridge.baseUrl();
  }

  /** {@code host:port} of the buyer's gRPC gateway. */
  public String buyerTarget() {
    return buyer.target();
  }

  /** {@code host:port} of the registry. */
  public String registryTarget() {
    return registry.target();
  }

  /** The upstream the sellers proxy to. */
  public String upstreamUrl() {
    return upstreamUrl;
  }

  /** Peer ids of the running sellers. */
  public List<String> sellerPeerIds() {
    List<String> ids = new ArrayList<>();
    for (SellerNode s : sellers) {
      ids.add(s.peerId());
    }
    return ids;
  }

  /** Stops everything (idempotent), last started first, and removes the temporary files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("demo: stopping " + started.get(i).getClass().getSimpleName() + " failed: " + e);
      }
    }
    started.clear();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("demo: could not remove " + dir + ": " + e.getMessage());
    }
  }
}
