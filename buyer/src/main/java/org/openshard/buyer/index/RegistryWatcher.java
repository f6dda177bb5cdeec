package org.openshard.buyer.index;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.dispatch.SellerDiscovery;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.WatchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link SellerIndex} current from the registry: a Watch stream with an initial snapshot
 * (peers missing from a new snapshot are dropped), reconnected with jittered exponential backoff
 * (200 ms doubling to 10 s, reset after a snapshot) and rotated across the registry targets; plus
 * on-demand Discover for a service the index has no seller for. Every listing is verified by the
 * index before it is used; a listing that fails verification is logged and ignored.
 */
public final class RegistryWatcher implements SellerDiscovery, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryWatcher.class);
  static final long INITIAL_BACKOFF_MS = 200;
  static final long MAX_BACKOFF_MS = 10_000;
  static final long DISCOVER_TIMEOUT_MS = 3_000;
  static final long DISCOVER_MIN_INTERVAL_MS = 1_000;

  private final List<Channel> registries;
  private final SellerIndex index;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoClock;
  private final CompletableFuture<Void> firstSnapshot = new CompletableFuture<>();
  private final ConcurrentHashMap<String, Long> lastDiscoverNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> discovering = new ConcurrentHashMap<>();

  private int target;
  private long backoffMs = INITIAL_BACKOFF_MS;
  private boolean closed;
  private ClientCallStreamObserver<WatchRequest> stream;
  private volatile long snapshots;
  private volatile long reconnects;

  public RegistryWatcher(List<Channel> registries, SellerIndex index, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
    if (registries.isEmpty()) {
      throw new IllegalArgumentException("at least one registry is needed");
    }
    this.registries = List.copyOf(registries);
    this.index = Objects.requireNonNull(index);
    this.scheduler = Objects.requireNonNull(scheduler);
    this.nanoClock = Objects.requireNonNull(nanoClock);
  }

  /** Opens the Watch stream (returns at once). */
  public synchronized void start() {
    connect();
  }

  /** Completes when the first Watch snapshot has been applied. */
  public CompletableFuture<Void> firstSnapshot() {
    return firstSnapshot;
  }

  /** Snapshots applied so far (each connection delivers one). */
  public long snapshots() {
    return snapshots;
  }

  /** Times the Watch stream was re-opened. */
  public long reconnects() {
    return reconnects;
  }

  public synchronized Channel currentRegistry() {
    return registries.get(target);
  }

  private void connect() {
    if (closed) {
      return;
    }
    Channel ch = registries.get(target);
    Context previous = Context.ROOT.attach();
    try {
      RegistryGrpc.newStub(ch).watch(WatchRequest.newBuilder().setServiceId("").setSendSnapshot(true).build(), new Watch());
    } finally {
      Context.ROOT.detach(previous);
    }
  }

  private synchronized void scheduleReconnect() {
    if (closed) {
      return;
    }
    stream = null;
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    target = (target + 1) % registries.size();
    reconnects++;
    scheduler.schedule(
        () -> {
          synchronized (RegistryWatcher.this) {
            connect();
          }
        },
        jittered,
        TimeUnit.MILLISECONDS);
  }

  /** One Watch stream. */
  private final class Watch implements ClientResponseObserver<WatchRequest, PeerEvent> {
    private final Set<String> seen = new HashSet<>();
    private boolean inSnapshot = true;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      synchronized (RegistryWatcher.this) {
        stream = requestStream;
      }
    }

    @Override
    public void onNext(PeerEvent ev) {
      switch (ev.getKind()) {
        case ADDED:
        case UPDATED:
          String id = apply(ev.getPeer(), ev.getPeerId());
          if (id != null && inSnapshot) {
            seen.add(id);
          }
          break;
        case REMOVED:
          index.remove(ev.getPeerId());
          break;
        case SNAPSHOT_DONE:
          if (inSnapshot) {
            inSnapshot = false;
            index.retainOnly(seen);
            seen.clear();
            synchronized (RegistryWatcher.this) {
              backoffMs = INITIAL_BACKOFF_MS;
            }
            snapshots++;
            firstSnapshot.complete(null);
          }
          break;
        default:
          break;
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (RegistryWatcher.this) {
        if (closed) {
          return;
        }
      }
      LOG.warn("registry Watch stream failed ({}); reconnecting", io.grpc.Status.fromThrowable(t).getCode());
      scheduleReconnect();
    }

    @Override
    public void onCompleted() {
      LOG.info("registry closed the Watch stream; reconnecting");
      scheduleReconnect();
    }
  }

  /** Verifies and stores one listing; returns its peer id, or null if it was rejected. */
  String apply(PeerListing listing, String eventPeerId) {
    try {
      SellerIndex.Applied applied = index.apply(listing);
      String id = applied.peerId();
      if (!eventPeerId.isEmpty() && !eventPeerId.equalsIgnoreCase(id)) {
        LOG.warn("registry event names peer {} but carries a listing of {}", eventPeerId, id);
      }
      return id;
    } catch (BuyerException e) {
      LOG.warn("ignoring listing of {}: {} {}", listing.getRegistration().getPeerId(), e.code(), e.getMessage());
      return null;
    }
  }

  @Override
  public CompletableFuture<Void> refresh(String serviceId) {
    Long last = lastDiscoverNanos.get(serviceId);
    long now = nanoClock.getAsLong();
    if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(DISCOVER_MIN_INTERVAL_MS)) {
      CompletableFuture<Void> running = discovering.get(serviceId);
      return running != null ? running : CompletableFuture.completedFuture(null);
    }
    lastDiscoverNanos.put(serviceId, now);
    CompletableFuture<Void> done = new CompletableFuture<>();
    discovering.put(serviceId, done);
    Context previous = Context.ROOT.attach();
    try {
      Futures.addCallback(
          RegistryGrpc.newFutureStub(currentRegistry())
              .withDeadlineAfter(DISCOVER_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .discover(DiscoverRequest.newBuilder().setServiceId(serviceId).setLimit(500).build()),
          new FutureCallback<DiscoverResponse>() {
            @Override
            public void onSuccess(DiscoverResponse r) {
              for (PeerListing l : r.getPeersList()) {
                apply(l, "");
              }
              finish();
            }

            @Override
            public void onFailure(Throwable t) {
              LOG.warn("registry Discover failed ({})", io.grpc.Status.fromThrowable(t).getCode());
              finish();
            }

            private void finish() {
              discovering.remove(serviceId, done);
              done.complete(null);
            }
          },
          MoreExecutors.directExecutor());
    } finally {
      Context.ROOT.detach(previous);
    }
    return done;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (stream != null) {
      stream.cancel("buyer shutting down", null);
      stream = null;
    }
  }
}
