package org.openshard.bridge;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.openshard.bridge.auth.ApiKeys;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.dashboard.DashboardSource;
import org.openshard.bridge.dashboard.RequestLog;
import org.openshard.bridge.e2ee.E2eeNegotiator;
import org.openshard.bridge.e2ee.aci.AciAttestation;
import org.openshard.bridge.e2ee.aci.AciKeyset;
import org.openshard.bridge.http.Routes;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.receipts.ReceiptStore;
import org.openshard.bridge.receipts.Receipts;
import org.openshard.bridge.replay.InMemoryReplayStore;
import org.openshard.bridge.replay.ReplayStore;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.HttpListener;

/**
 * The OpenAI-compatible HTTP bridge with E2EE (ACI v2 and legacy), receipts and API keys, on one
 * Armeria port serving HTTP/1.1 and h2c. See docs/bridge.md.
 *
 * <pre>{@code
 * BridgeServer bridge = BridgeServer.builder()
 *     .listen(ListenAddress.loopback(0))
 *     .backend(OpenAiUpstreamBackend.builder("http://127.0.0.1:8000/v1").build())
 *     .start();
 * }</pre>
 *
 * {@link #close()} stops the server; the backend and replay store belong to the caller.
 */
public final class BridgeServer implements AutoCloseable {
  private final HttpListener http;
  private final ServiceKeys keys;
  private final Secp256k1PrivateKey identity;
  private final AciKeyset keyset;
  private final RequestLog requestLog;

  private BridgeServer(
      HttpListener http, ServiceKeys keys, Secp256k1PrivateKey identity, AciKeyset keyset, RequestLog requestLog) {
    this.http = http;
    this.requestLog = requestLog;
    this.keys = keys;
    this.identity = identity;
    this.keyset = keyset;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return http.port();
  }

  public String host() {
    return http.host();
  }

  /** {@code http://host:port/v1}. */
  public String baseUrl() {
    return http.url("/v1");
  }

  public ServiceKeys serviceKeys() {
    return keys;
  }

  /** The node's peer id (Ethereum address of the identity key). */
  public String peerId() {
    return identity.publicKey().ethereumAddress();
  }

  public AciKeyset keyset() {
    return keyset;
  }

  /** The metadata of recent inference requests shown on {@code /dashboard} (never content). */
  public RequestLog requestLog() {
    return requestLog;
  }

  /** {@code http://host:port/dashboard}. */
  public String dashboardUrl() {
    return http.url("/dashboard");
  }

  @Override
  public void close() {
    http.close();
  }

  /** Builder for {@link BridgeServer}. */
  public static final class Builder {
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;

    private ListenAddress listen = ListenAddress.loopback(0);
    private ChatBackend backend;
    private ServiceKeys keys;
    private Secp256k1PrivateKey identity;
    private ReplayStore replay;
    private ApiKeys apiKeys;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private int maxConcurrentRequests;
    private Clock clock = Clock.systemUTC();
    private int receiptCapacity = 10_000;
    private Duration receiptTtl = Duration.ofHours(1);
    private Duration keysetValidity = Duration.ofDays(30);
    private Duration requestTimeout = Duration.ofMinutes(30);
    private boolean announce;
    private DashboardSource dashboardSource = DashboardSource.none();
    private int recentRequests = 200;

    private Builder() {}

    /**
     * What {@code GET /dashboard} shows besides the bridge's own requests: sellers (e.g. {@code
     * RegistryDashboardSource}) and payment channels. Default: nothing.
     */
    public Builder dashboardSource(DashboardSource s) {
      this.dashboardSource = Objects.requireNonNull(s);
      return this;
    }

    /** How many recent requests the status page keeps (metadata only; default 200). */
    public Builder recentRequests(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("recentRequests must be > 0");
      }
      this.recentRequests = n;
      return this;
    }

    public Builder listen(ListenAddress a) {
      this.listen = Objects.requireNonNull(a);
      return this;
    }

    /** Where requests go (required). */
    public Builder backend(ChatBackend b) {
      this.backend = Objects.requireNonNull(b);
      return this;
    }

    /** Service keys; default: generated at start (lost at exit). */
    public Builder serviceKeys(ServiceKeys k) {
      this.keys = k;
      return this;
    }

    /** The node identity key that signs the keyset; default: generated at start. */
    public Builder identityKey(Secp256k1PrivateKey k) {
      this.identity = k;
      return this;
    }

    /** Replay state; default: in memory. Replicas sharing keys must share a Redis store. */
    public Builder replayStore(ReplayStore r) {
      this.replay = r;
      return this;
    }

    /** Bearer keys; required when listening on a non-loopback address. */
    public Builder apiKeys(ApiKeys k) {
      this.apiKeys = k;
      return this;
    }

    /** Largest request body (default 4 MiB); larger → 413. */
    public Builder maxRequestBytes(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxRequestBytes must be > 0");
      }
      this.maxRequestBytes = n;
      return this;
    }

    /** Requests in flight beyond this → 429 (0 = unlimited, the default). */
    public Builder maxConcurrentRequests(int n) {
      this.maxConcurrentRequests = n;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder receipts(int capacity, Duration ttl) {
      this.receiptCapacity = capacity;
      this.receiptTtl = ttl;
      return this;
    }

    /** How long the published keyset is declared valid (not_after = start + this; default 30 days). */
    public Builder keysetValidity(Duration d) {
      this.keysetValidity = d;
      return this;
    }

    /** Longest a request (a whole stream included) may take (default 30 minutes). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Print {@code LISTENING bridge http://host:port} once started. */
    public Builder announce(boolean a) {
      this.announce = a;
      return this;
    }

    /**
     * @throws IllegalStateException if no backend is set, or the address is not loopback and no API
     *     keys are configured (the message says what to do)
     */
    public BridgeServer start() {
      if (backend == null) {
        throw new IllegalStateException("the bridge needs a backend (e.g. --upstream http://127.0.0.1:8000/v1)");
      }
      if (!listen.isLoopback() && apiKeys == null) {
        throw new IllegalStateException(
            "refusing to listen on non-loopback address " + listen + " without API keys: pass --api-keys FILE"
                + " (one key per line), or listen on 127.0.0.1");
      }
      ServiceKeys k = keys != null ? keys : ServiceKeys.generate();
      Secp256k1PrivateKey id = identity != null ? identity : Secp256k1PrivateKey.generate();
      ReplayStore r = replay != null ? replay : new InMemoryReplayStore(clock, 1_000_000);
      long notAfter = clock.millis() / 1000 + keysetValidity.getSeconds();
      AciKeyset keyset = AciKeyset.create(k, "openshard-bridge:" + id.publicKey().ethereumAddress(), notAfter);
      AciAttestation attestation = new AciAttestation(keyset, id, backend.serving());
      Receipts receipts =
          new Receipts(k.receiptKey(), k.receiptKeyId(), keyset.digest(), new ReceiptStore(receiptCapacity, receiptTtl, clock), clock);
      RequestLog log = new RequestLog(recentRequests);
      ServerBuilder sb =
          Server.builder()
              .http(listen.toSocketAddress())
              .maxRequestLength(maxRequestBytes)
              .requestTimeout(requestTimeout);
      Routes.install(
          sb, backend, new E2eeNegotiator(k, r, clock), k, id, attestation, receipts, apiKeys, maxRequestBytes,
          maxConcurrentRequests, new Routes.Dashboard(dashboardSource, log, clock));
      Server server = sb.build();
      return new BridgeServer(HttpListener.start(server, listen.host(), announce ? "bridge" : null), k, id, keyset, log);
    }
  }
}
