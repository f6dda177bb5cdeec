package org.openshard.registry;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.registry.metrics.RegistryMetrics;
import org.openshard.registry.anchors.AnchorRegistry;
import org.openshard.registry.anchors.InMemoryAnchorRegistry;
import org.openshard.registry.anchors.RedisAnchorRegistry;
import org.openshard.registry.service.RegistryCore;
import org.openshard.registry.service.RegistryGrpcService;
import org.openshard.registry.store.InMemoryPeerStore;
import org.openshard.registry.store.PeerStore;
import org.openshard.registry.store.StoreException;
import org.openshard.registry.store.redis.RedisPeerStore;
import org.openshard.registry.watch.WatchHub;
import org.openshard.runtime.ErrorCodes;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry: store, request logic, watch fan-out, pruner, gRPC server (with health and
 * reflection) and optionally the Prometheus endpoint. Used by {@code openshard registry} and tests.
 *
 * <pre>{@code
 * try (RegistryServer r = RegistryServer.builder().listen(ListenAddress.loopback(0)).start()) {
 *   String target = r.target();
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
  /** Largest inbound message: a 64 KiB registration plus framing. */
  static final int MAX_INBOUND_BYTES = 128 * 1024;

  /** Published anchor sets kept in memory (one epoch per newly enrolled anchor). */
  static final int RETAINED_ANCHOR_EPOCHS = 256;

  /** How long a published anchor set stays fetchable from Redis. */
  static final long ANCHOR_SET_RETENTION_MS = 24L * 3600 * 1000;

  private final RegistryConfig config;
  private final PeerStore store;
  private final boolean ownsStore;
  private final RegistryMetrics metrics;
  private final WatchHub hub;
  private final RegistryCore core;
  private final GrpcServer grpc;
  private final MetricsServer metricsServer;
  private final ScheduledExecutorService pruner;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private RegistryServer(
      RegistryConfig config,
      PeerStore store,
      boolean ownsStore,
      RegistryMetrics metrics,
      WatchHub hub,
      RegistryCore core,
      GrpcServer grpc,
      MetricsServer metricsServer,
      ScheduledExecutorService pruner) {
    this.config = config;
    this.store = store;
    this.ownsStore = ownsStore;
    this.metrics = metrics;
    this.hub = hub;
    this.core = core;
    this.grpc = grpc;
    this.metricsServer = metricsServer;
    this.pruner = pruner;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return grpc.port();
  }

  /** {@code host:port} for clients. */
  public String target() {
    return grpc.target();
  }

  /** The metrics port, or -1 if metrics are not served. */
  public int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  public RegistryConfig config() {
    return config;
  }

  public RegistryCore core() {
    return core;
  }

  public RegistryMetrics metrics() {
    return metrics;
  }

  public PeerStore store() {
    return store;
  }

  public WatchHub watchHub() {
    return hub;
  }

  /**
   * Stops serving: ends Watch streams (UNAVAILABLE), drains calls, stops the pruner and closes the
   * store if the server owns it. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    grpc.markNotServing();
    hub.failAll(ErrorCodes.toStatus(ErrorCode.SHUTTING_DOWN, "registry is shutting down", null, true));
    grpc.shutdown(2_000);
    pruner.shutdownNow();
    try {
      pruner.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (metricsServer != null) {
      metricsServer.close();
    }
    store.setListener(null);
    if (ownsStore) {
      store.close();
    }
  }

  /** Builder for {@link RegistryServer}. */
  public static final class Builder {
    private ListenAddress listen = ListenAddress.loopback(0);
    private ListenAddress metricsListen;
    private RegistryConfig config = RegistryConfig.defaults();
    private PeerStore store;
    private String redisUri;
    private boolean ownsStore = true;
    private boolean announce;

    private Builder() {}

    public Builder listen(ListenAddress address) {
      this.listen = address;
      return this;
    }

    /** Serve Prometheus metrics on this address ({@code GET /metrics}). */
    public Builder metrics(ListenAddress address) {
      this.metricsListen = address;
      return this;
    }

    public Builder config(RegistryConfig config) {
      this.config = config;
      return this;
    }

    /** Use this store (closed with the server). Default: a new in-memory store. */
    public Builder store(PeerStore store) {
      return store(store, true);
    }

    /** Use this store; {@code closeWithServer = false} leaves closing it to the caller. */
    public Builder store(PeerStore store, boolean closeWithServer) {
      this.store = store;
      this.ownsStore = closeWithServer;
      this.redisUri = null;
      return this;
    }

    /** Use Redis ({@code redis://[:password@]host:port[/db]}) shared with other replicas. */
    public Builder redis(String uri) {
      this.redisUri = uri;
      this.store = null;
      return this;
    }

    /** Print the LISTENING lines on start. */
    public Builder announce(boolean announce) {
      this.announce = announce;
      return this;
    }

    /**
     * Starts everything.
     *
     * @throws IOException if a port cannot be bound or Redis cannot be reached
     */
    public RegistryServer start() throws IOException {
      PeerStore s = store;
      boolean owned = store == null || ownsStore;
      if (s == null && redisUri != null) {
        try {
          s = RedisPeerStore.connect(redisUri, config.redisKeyPrefix(), config.antiReplayRetentionMs());
        } catch (StoreException e) {
          throw new IOException("cannot use Redis at " + redisUri + ": " + e.getMessage(), e);
        }
      } else if (s == null) {
        s = new InMemoryPeerStore(config.antiReplayRetentionMs());
      }
      PeerStore st = s;
      WatchHub[] hubRef = new WatchHub[1];
      RegistryMetrics metrics =
          new RegistryMetrics(
              () -> {
                try {
                  return st.counts(config.nowMs());
                } catch (StoreException e) {
                  throw new IllegalStateException(e);
                }
              },
              () -> hubRef[0] == null ? 0 : hubRef[0].count());
      RegistryCore core = new RegistryCore(config, st, metrics);
      AnchorRegistry anchors =
          st instanceof RedisPeerStore
              ? new RedisAnchorRegistry(
                  ((RedisPeerStore) st).jedis(), config.redisKeyPrefix(), config.maxClockSkewMs(), ANCHOR_SET_RETENTION_MS)
              : new InMemoryAnchorRegistry(RETAINED_ANCHOR_EPOCHS, config.maxClockSkewMs());
      WatchHub hub = new WatchHub(core::listing, config.watchBufferEvents());
      hubRef[0] = hub;
      st.setListener(hub);
      ScheduledExecutorService pruner =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "registry-pruner");
                t.setDaemon(true);
                return t;
              });
      GrpcServer grpc;
      MetricsServer ms = null;
      try {
        grpc =
            GrpcServer.builder(listen)
                .addService(new RegistryGrpcService(core, hub, metrics, anchors))
                .maxInboundMessageBytes(MAX_INBOUND_BYTES)
                .announceAs(announce ? "registry" : null)
                .start();
        if (metricsListen != null) {
          ms = MetricsServer.start(metricsListen, metrics.registry(), announce ? "registry" : null);
        }
      } catch (IOException | RuntimeException e) {
        pruner.shutdownNow();
        if (owned) {
          st.close();
        }
        throw e;
      }
      pruner.scheduleWithFixedDelay(
          new PruneTask(core), config.pruneIntervalMs(), config.pruneIntervalMs(), TimeUnit.MILLISECONDS);
      return new RegistryServer(config, st, owned, metrics, hub, core, grpc, ms, pruner);
    }
  }

  /** Runs {@link RegistryCore#prune()}; logs store failures at most every 10 s. */
  private static final class PruneTask implements Runnable {
    private final RegistryCore core;
    private long lastWarnNanos;

    PruneTask(RegistryCore core) {
      this.core = core;
    }

    @Override
    public void run() {
      try {
        core.prune();
      } catch (StoreException e) {
        long now = System.nanoTime();
        if (now - lastWarnNanos > TimeUnit.SECONDS.toNanos(10)) {
          lastWarnNanos = now;
          LOG.warn("pruning expired peers failed: {}", e.getMessage());
        }
      } catch (RuntimeException e) {
        LOG.error("pruning expired peers failed", e);
      }
    }
  }
}
