package org.openshard.seller;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.EnvelopeOpener;
import org.openshard.crypto.envelope.EnvelopeSealer;
import org.openshard.crypto.envelope.SellerEncryptionKey;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Listening;
import org.openshard.runtime.MetricsServer;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.ReplayCache;
import org.openshard.seller.audit.AuditLog;
import org.openshard.seller.credentials.AnchorSets;
import org.openshard.seller.credentials.ReplayCacheStore;
import org.openshard.seller.credentials.RingProofCheck;
import org.openshard.seller.envelope.OpenerDecryptor;
import org.openshard.seller.envelope.SellerKeys;
import org.openshard.seller.keys.SellerKeyFile;
import org.openshard.seller.load.LoadTracker;
import org.openshard.seller.metrics.SellerMetrics;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.offering.Offerings;
import org.openshard.seller.pipeline.FreeOfferingsOnly;
import org.openshard.seller.pipeline.InferencePipeline;
import org.openshard.seller.pipeline.NullifierStore;
import org.openshard.seller.pipeline.PaymentGate;
import org.openshard.seller.pipeline.ProofCheck;
import org.openshard.seller.pipeline.ReceiptIssuer;
import org.openshard.seller.pipeline.RequestObserver;
import org.openshard.seller.pipeline.SessionStore;
import org.openshard.seller.session.SessionTable;
import org.openshard.seller.registry.RegistryClientLink;
import org.openshard.seller.registry.RegistryLink;
import org.openshard.seller.service.SellerService;
import org.openshard.seller.upstream.OpenAiUpstream;
import org.openshard.seller.upstream.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A seller, runnable inside any application: the Seller gRPC service (with health and reflection),
 * the envelope pipeline, the upstream proxy, key rotation, registry registration and heartbeats,
 * metrics and the audit log.
 *
 * <pre>{@code
 * try (SellerNode seller = SellerNode.builder()
 *         .identityKey(SellerKeyFile.read(Path.of("seller.key")).identityKey())
 *         .offerings(Offerings.load(Path.of("offerings.json")))
 *         .upstream("http://127.0.0.1:8000/v1", System.getenv("OPENSHARD_UPSTREAM_API_KEY"))
 *         .registries(List.of("127.0.0.1:7400"))          // registration + anchor sets for proofs
 *         .replayCache(FileReplayCache.open(Path.of("seller.replay")))
 *         .listen(ListenAddress.parse("127.0.0.1:0"))
 *         .build()
 *         .start()) {
 *   System.out.println(seller.target());
 * }
 * }</pre>
 *
 * {@link #close()} drains: health NOT_SERVING, new streams refused (SHUTTING_DOWN), in-flight
 * streams finish (up to the drain timeout), then the seller deregisters and every encryption key is
 * erased.
 */
public final class SellerNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SellerNode.class);
  /** Anchor-set epochs kept for verification (proofs built on a slightly older set still verify). */
  static final int ANCHOR_EPOCHS_KEPT = 8;

  private final Builder config;
  private final Secp256k1PrivateKey identity;
  private final String peerId;
  private final Clock clock;
  private final AtomicLong lastRegistrationMs = new AtomicLong();
  private SellerKeys keys;
  private LoadTracker load;
  private SellerService service;
  private GrpcServer server;
  private MetricsServer metricsServer;
  private ExecutorService pipelineExecutor;
  private ScheduledExecutorService scheduler;
  private SessionTable sessions;
  private AuditLog audit;
  private Upstream upstream;
  private RegistryLink registry;
  private AnchorSets anchorSets;
  private ReplayCacheStore ownedReplayStore;
  private PrometheusRegistry metricsRegistry;
  private volatile boolean closed;

  private SellerNode(Builder b) {
    this.config = b;
    this.identity = b.identity;
    this.peerId = identity.publicKey().ethereumAddress();
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The peer id: the identity key's Ethereum address. */
  public String peerId() {
    return peerId;
  }

  /** {@code host:port} of the gRPC listener. */
  public String target() {
    return server.target();
  }

  public int port() {
    return server.port();
  }

  /** The metrics listener's port, or -1 if there is none. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  public List<Offering> offerings() {
    return config.offerings;
  }

  public SellerKeys keys() {
    return keys;
  }

  public LoadTracker load() {
    return load;
  }

  public PrometheusRegistry metricsRegistry() {
    return metricsRegistry;
  }

  /** What GetInfo answers now. */
  public SellerInfo info() {
    SellerInfo.Builder b =
        SellerInfo.newBuilder()
            .setPeerId(peerId)
            .addAllEncryptionKeys(keys.announcements())
            .addProtocolVersions(1)
            .setSlotsPerEpoch(config.epochs.slotsPerEpoch())
            .setEpochSeconds(config.epochs.epochSeconds());
    if (config.paymentTerms != null) {
      b.setPaymentTerms(config.paymentTerms);
    }
    config.offerings.forEach(o -> b.addOfferings(o.toProto()));
    return b.build();
  }

  /** The registration as it would be signed now (the timestamp strictly increases per call). */
  public SellerRegistration registration() {
    long now = clock.millis();
    long ts = lastRegistrationMs.updateAndGet(prev -> Math.max(now, prev + 1));
    SellerRegistration.Builder b =
        SellerRegistration.newBuilder()
            .setPeerId(peerId)
            .setEndpoint(config.advertise != null ? config.advertise : server.target())
            .setEncryptionKey(keys.currentAnnouncement())
            .setTimestampMs(ts);
    if (config.paymentTerms != null) {
      b.setPaymentTerms(config.paymentTerms);
    }
    config.offerings.forEach(o -> b.addOfferings(o.toProto()));
    return b.build();
  }

  /** Starts everything; on failure, stops what was started and rethrows. */
  public SellerNode start() throws IOException {
    try {
      doStart();
      return this;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void doStart() throws IOException {
    keys =
        config.initialKey != null
            ? SellerKeys.of(identity, config.initialKey, config.keyRotation, config.keyGrace, config.maxClockSkew, clock)
            : SellerKeys.generate(identity, config.suite, config.keyRotation, config.keyGrace, config.maxClockSkew, clock);
    EnvelopeOpener opener;
    try {
      opener = new EnvelopeOpener(peerId, keys.ring(), config.maxClockSkew, EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES);
    } catch (CryptoException e) {
      throw new IllegalStateException("bad peer id " + peerId + ": " + e.getMessage(), e);
    }
    load = new LoadTracker(config.maxConcurrency, config.loadWindow, clock);
    metricsRegistry = config.metricsRegistry != null ? config.metricsRegistry : new PrometheusRegistry();
    SellerMetrics metrics = new SellerMetrics(metricsRegistry, load::inFlight);
    audit = config.auditFile != null ? AuditLog.toFile(config.auditFile) : AuditLog.toLogger();
    List<RequestObserver> observers = new ArrayList<>(List.of(load, metrics, audit));
    observers.addAll(config.observers);
    RequestObserver observer = RequestObserver.all(observers);
    registry = config.registry;
    if (registry == null && !config.registries.isEmpty()) {
      registry = new RegistryClientLink(config.registries, identity, clock);
    }
    if (registry == null) {
      registry = RegistryLink.NONE;
    }
    ProofCheck proofCheck = config.proofCheck;
    if (proofCheck == null) {
      anchorSets = config.anchorSets;
      if (anchorSets == null) {
        if (!(registry instanceof AnchorSets.Source)) {
          throw new IllegalStateException("ring proofs need anchor sets: configure a registry or anchor sets");
        }
        anchorSets = new AnchorSets((AnchorSets.Source) registry, ANCHOR_EPOCHS_KEPT, Duration.ofSeconds(1));
      }
      anchorSets.refresh();
      proofCheck = new RingProofCheck(anchorSets, peerId, config.epochs, config.maxClockSkew, clock);
    }
    NullifierStore nullifierStore = config.nullifierStore;
    if (nullifierStore == null) {
      ownedReplayStore = new ReplayCacheStore(config.replayCache);
      nullifierStore = ownedReplayStore;
    }
    upstream = config.upstream;
    if (upstream == null) {
      upstream = OpenAiUpstream.builder(config.upstreamUrl).apiKey(config.upstreamApiKey).defaultTimeout(config.upstreamTimeout).build();
    }
    if (config.sessionMaxRequests > 0) {
      sessions = SessionTable.builder().ttl(config.sessionTtl).maxRequests(config.sessionMaxRequests).clock(clock).build();
    }
    InferencePipeline pipeline =
        InferencePipeline.builder()
            .proofCheck(proofCheck)
            .nullifierStore(nullifierStore)
            .decryptor(new OpenerDecryptor(opener, clock))
            .paymentGate(config.paymentGate)
            .upstream(upstream)
            .offerings(config.offerings)
            .receipts(new ReceiptIssuer(identity, clock))
            .observer(observer)
            .clock(clock)
            .upstreamTimeout(config.upstreamTimeout)
            .maxClockSkew(config.maxClockSkew)
            .sessions(sessions == null ? SessionStore.NONE : sessions)
            .build();
    int threads = Math.max(2, Math.min(config.maxConcurrency, 2 * Runtime.getRuntime().availableProcessors() + 2));
    pipelineExecutor = Executors.newFixedThreadPool(threads, daemon("seller-pipeline"));
    service = new SellerService(this::info, pipeline, pipelineExecutor, load, observer, clock);
    // Infer's handlers never block (admission runs on the pipeline executor, forwarding is
    // asynchronous), so they run on the transport threads: no hop through gRPC's executor.
    server = GrpcServer.builder(config.listen).addService(service).directExecutor().start();
    if (config.metricsListen != null) {
      metricsServer = MetricsServer.start(config.metricsListen, metricsRegistry, null);
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("seller-keys"));
    registry.start(this::registration, load::snapshot);
    if (anchorSets != null) {
      long refresh = config.anchorRefresh.toMillis();
      AnchorSets a = anchorSets;
      scheduler.scheduleWithFixedDelay(a::refresh, refresh, refresh, TimeUnit.MILLISECONDS);
    }
    if (sessions != null) {
      SessionTable t = sessions;
      scheduler.scheduleWithFixedDelay(t::sweep, 10, 10, TimeUnit.SECONDS);
    }
    long sweepMs = Math.max(1_000, Math.min(60_000, config.keyGrace.toMillis() / 4));
    scheduler.scheduleAtFixedRate(this::sweepKeys, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    if (keys.rotationInterval() != null) {
      long rot = keys.rotationInterval().toMillis();
      scheduler.scheduleAtFixedRate(this::rotateKeys, rot, rot, TimeUnit.MILLISECONDS);
    }
    LOG.info("seller {} serving {} offering(s) on {}", peerId, config.offerings.size(), server.target());
    if (config.announce) {
      // Only once registered, so a script that waits for the line can discover the seller at once.
      Listening.announce("seller", "grpc", server.host(), server.port());
      if (metricsServer != null) {
        Listening.announce("seller", "http", metricsServer.host(), metricsServer.port());
      }
    }
  }

  /** Rotates the encryption key now and registers the new announcement. */
  public void rotateKeys() {
    if (closed) {
      return;
    }
    try {
      keys.rotate();
      registry.refresh();
      LOG.info("rotated the encryption key; previous key kept for {}", config.keyGrace);
    } catch (RuntimeException e) {
      LOG.warn("key rotation failed: {}", e.toString());
    }
  }

  private void sweepKeys() {
    try {
      int n = keys.evictExpired();
      if (n > 0) {
        LOG.info("erased {} encryption key(s) past their grace period", n);
      }
    } catch (RuntimeException e) {
      LOG.warn("key sweep failed: {}", e.toString());
    }
  }

  /** Drains and stops (see the class comment). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.markNotServing();
    }
    if (service != null) {
      service.startDraining();
      try {
        if (!service.awaitDrained(config.drainTimeout)) {
          LOG.warn("in-flight requests did not finish within {}; they were cancelled", config.drainTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (registry != null) {
      quietly("deregister", registry::deregister);
      quietly("registry", registry::close);
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (server != null) {
      quietly("grpc server", () -> server.shutdown(2_000));
    }
    if (metricsServer != null) {
      quietly("metrics server", metricsServer::close);
    }
    if (pipelineExecutor != null) {
      pipelineExecutor.shutdownNow();
    }
    if (upstream != null && config.upstream == null) {
      quietly("upstream", upstream::close);
    }
    if (ownedReplayStore != null) {
      quietly("replay store", ownedReplayStore::close);
    }
    if (keys != null) {
      keys.eraseAll();
    }
    if (sessions != null) {
      sessions.close();
    }
    if (audit != null) {
      quietly("audit log", audit::close);
    }
  }

  private static void quietly(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("stopping {} failed: {}", what, e.toString());
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configuration of a {@link SellerNode}. */
  public static final class Builder {
    private Secp256k1PrivateKey identity;
    private List<Offering> offerings;
    private String upstreamUrl;
    private String upstreamApiKey;
    private Upstream upstream;
    private Duration upstreamTimeout = Duration.ofMinutes(5);
    private ListenAddress listen = ListenAddress.loopback(0);
    private String advertise;
    private ListenAddress metricsListen;
    private PrometheusRegistry metricsRegistry;
    private int maxConcurrency = 64;
    private Duration loadWindow = LoadTracker.DEFAULT_WINDOW;
    private ProofCheck proofCheck;
    private AnchorSets anchorSets;
    private Duration anchorRefresh = Duration.ofSeconds(30);
    private NullifierStore nullifierStore;
    private ReplayCache replayCache;
    private final List<String> registries = new ArrayList<>();
    private NullifierEpochs epochs = NullifierEpochs.defaults();
    private PaymentGate paymentGate = new FreeOfferingsOnly();
    private org.openshard.proto.v1.PaymentTerms paymentTerms;
    private RegistryLink registry;
    private CipherSuite suite = CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM;
    private SellerEncryptionKey initialKey;
    private Duration keyRotation = Duration.ofHours(1);
    private Duration keyGrace = SellerKeys.DEFAULT_GRACE;
    private Duration maxClockSkew = EnvelopeOpener.DEFAULT_MAX_CLOCK_SKEW;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Path auditFile;
    private final List<RequestObserver> observers = new ArrayList<>();
    private boolean announce;
    private Clock clock = Clock.systemUTC();
    private Duration sessionTtl = SessionTable.DEFAULT_TTL;
    private int sessionMaxRequests = SessionTable.DEFAULT_MAX_REQUESTS;

    private Builder() {}

    /**
     * Session resumption (docs/protocol.md section 5a): how long, and for how many further
     * requests, a buyer may resume an envelope's session. {@code maxRequests = 0} turns
     * resumption off (every request needs an envelope). Defaults: 5 min, 4,096.
     */
    public Builder sessionResumption(Duration ttl, int maxRequests) {
      if (maxRequests < 0 || maxRequests > SessionTable.MAX_REQUESTS_LIMIT) {
        throw new IllegalArgumentException("session max requests must be 0.." + SessionTable.MAX_REQUESTS_LIMIT);
      }
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("session ttl must be positive");
      }
      this.sessionTtl = ttl;
      this.sessionMaxRequests = maxRequests;
      return this;
    }

    /** The identity key (its address is the peer id). */
    public Builder identityKey(Secp256k1PrivateKey key) {
      this.identity = key;
      return this;
    }

    /** The identity key from a key file (its encryption key is not used: keys live in memory only). */
    public Builder keyFile(SellerKeyFile file) {
      return identityKey(file.identityKey());
    }

    public Builder offerings(List<Offering> offerings) {
      this.offerings = Offerings.validateList(offerings);
      return this;
    }

    /** An OpenAI-compatible upstream, e.g. {@code http://127.0.0.1:8000/v1}; apiKey may be null. */
    public Builder upstream(String baseUrl, String apiKey) {
      this.upstreamUrl = baseUrl;
      this.upstreamApiKey = apiKey;
      this.upstream = null;
      OpenAiUpstream.builder(baseUrl); // validates now
      return this;
    }

    /** A custom upstream (not closed by the node). */
    public Builder upstream(Upstream upstream) {
      this.upstream = upstream;
      return this;
    }

    public Builder upstreamTimeout(Duration d) {
      this.upstreamTimeout = positive(d, "upstream timeout");
      return this;
    }

    public Builder listen(ListenAddress address) {
      this.listen = Objects.requireNonNull(address);
      return this;
    }

    /** The endpoint registered for buyers, if not the listen address (e.g. a public host name). */
    public Builder advertise(String hostPort) {
      this.advertise = hostPort;
      return this;
    }

    /** Serve Prometheus metrics at {@code address} ({@code GET /metrics}). */
    public Builder metrics(ListenAddress address) {
      this.metricsListen = address;
      return this;
    }

    /** The Prometheus registry metrics go to (default: a new one per node). */
    public Builder metricsRegistry(PrometheusRegistry registry) {
      this.metricsRegistry = registry;
      return this;
    }

    /** Requests served at once; more are answered RESOURCE_EXHAUSTED (OVERLOADED). Default 64. */
    public Builder maxConcurrency(int n) {
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("max concurrency must be 1..100000, was " + n);
      }
      this.maxConcurrency = n;
      return this;
    }

    public Builder loadWindow(Duration d) {
      this.loadWindow = positive(d, "load window");
      return this;
    }

    /** A custom proof stage (default: ring proofs against the registry's anchor sets). */
    public Builder proofCheck(ProofCheck p) {
      this.proofCheck = p;
      return this;
    }

    /** Verify ring proofs against these anchor sets (default: fetched from the first registry). */
    public Builder anchorSets(AnchorSets a) {
      this.anchorSets = a;
      return this;
    }

    /** How often anchor sets are refreshed from the registry. Default 30 s. */
    public Builder anchorRefresh(Duration d) {
      this.anchorRefresh = positive(d, "anchor refresh");
      return this;
    }

    /** The nullifier policy: epoch length and slots per epoch (GetInfo advertises it). */
    public Builder nullifierEpochs(NullifierEpochs e) {
      this.epochs = Objects.requireNonNull(e);
      return this;
    }

    /** A custom nullifier stage. */
    public Builder nullifierStore(NullifierStore s) {
      this.nullifierStore = s;
      return this;
    }

    /** The replay cache nullifiers are claimed in (file or Redis; closed with the node). */
    public Builder replayCache(ReplayCache c) {
      this.replayCache = c;
      return this;
    }

    /**
     * Register with these registries ({@code host:port}); none = not discoverable. An entry {@code
     * host:port,host:port} is one registry run as replicas on a shared Redis store (one registration,
     * heartbeats fail over between the replicas; see {@code ReplicaChannel}).
     */
    public Builder registries(List<String> targets) {
      this.registries.clear();
      this.registries.addAll(targets);
      return this;
    }

    /** A custom payment stage (default: free offerings only, priced ones PAYMENT_UNSUPPORTED). */
    public Builder paymentGate(PaymentGate g) {
      this.paymentGate = Objects.requireNonNull(g);
      return this;
    }

    /** The payment terms advertised in GetInfo and registrations (with a custom payment gate). */
    public Builder paymentTerms(org.openshard.proto.v1.PaymentTerms terms) {
      this.paymentTerms = terms;
      return this;
    }

    /**
     * Accept payment channels (docs/protocol.md section 9): priced offerings are served once the
     * buyer's vouchers cover them; the buyer has {@code answerTimeout} to answer each
     * PaymentRequired.
     */
    public Builder payments(org.openshard.payments.channel.ChannelValidator validator, Duration answerTimeout) {
      org.openshard.seller.payments.ChannelPaymentGate gate =
          new org.openshard.seller.payments.ChannelPaymentGate(validator, answerTimeout);
      this.paymentGate = gate;
      this.paymentTerms = gate.terms();
      return this;
    }

    /**
     * Accept payment channels on {@code ledger} (shared with buyers: one {@code InProcessLedger}
     * instance in one JVM, a locked file across processes, or a chain), keeping channel state in
     * {@code store}, paid to {@code payee}. The buyer has 30 s to answer each PaymentRequired.
     */
    public Builder payments(
        org.openshard.payments.ledger.Ledger ledger,
        org.openshard.payments.channel.ChannelStore store,
        org.openshard.payments.EthAddress payee) {
      return payments(
          new org.openshard.payments.channel.ChannelValidator(payee, store, ledger, Clock.systemUTC()), Duration.ofSeconds(30));
    }

    /** A custom registry link (instead of {@link #registries}). */
    public Builder registry(RegistryLink r) {
      this.registry = Objects.requireNonNull(r);
      return this;
    }

    public Builder cipherSuite(CipherSuite s) {
      this.suite = Objects.requireNonNull(s);
      return this;
    }

    /** Start with this encryption key instead of a fresh one (tests, embedding). */
    public Builder initialEncryptionKey(SellerEncryptionKey k) {
      this.initialKey = k;
      return this;
    }

    /** Rotation interval of the encryption key (null or zero: never). Default 1 hour. */
    public Builder keyRotation(Duration d) {
      this.keyRotation = d;
      return this;
    }

    /** How long a replaced key stays usable (KEY-10). Default 15 minutes. */
    public Builder keyGrace(Duration d) {
      this.keyGrace = Objects.requireNonNull(d);
      return this;
    }

    public Builder maxClockSkew(Duration d) {
      this.maxClockSkew = positive(d, "clock skew");
      return this;
    }

    /** How long close() waits for in-flight streams. Default 30 s. */
    public Builder drainTimeout(Duration d) {
      this.drainTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Audit lines go to this file (default: the "openshard.audit" logger). */
    public Builder auditLog(Path file) {
      this.auditFile = file;
      return this;
    }

    /** An extra observer of finished requests (tests, embedding applications). */
    public Builder observer(RequestObserver o) {
      this.observers.add(Objects.requireNonNull(o));
      return this;
    }

    /** Print the LISTENING line(s) (the CLI does). */
    public Builder announce(boolean announce) {
      this.announce = announce;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public SellerNode build() {
      if (identity == null) {
        throw new IllegalStateException("the seller needs an identity key (keyFile or identityKey)");
      }
      if (offerings == null) {
        throw new IllegalStateException("the seller needs at least one offering");
      }
      if (upstream == null && upstreamUrl == null) {
        throw new IllegalStateException("the seller needs an upstream (e.g. http://127.0.0.1:8000/v1)");
      }
      if (proofCheck == null && anchorSets == null && registries.isEmpty() && !(registry instanceof AnchorSets.Source)) {
        throw new IllegalStateException("the seller needs a registry (for anchor sets) or a proof check");
      }
      if (nullifierStore == null && replayCache == null) {
        throw new IllegalStateException("the seller needs a replay store for nullifiers");
      }
      return new SellerNode(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
