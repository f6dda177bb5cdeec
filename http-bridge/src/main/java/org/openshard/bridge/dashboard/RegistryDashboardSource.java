package org.openshard.bridge.dashboard;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.proto.v1.WatchRequest;
import org.openshard.registry.client.RegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sellers for the status page, kept current with the registry's Watch stream (snapshot, then
 * added/updated/removed events). If the stream fails it is reopened after a short delay, with a
 * fresh snapshot. {@link #close()} stops the watch and closes the client.
 */
public final class RegistryDashboardSource implements DashboardSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryDashboardSource.class);
  private static final long RETRY_MS = 2_000;

  private final RegistryClient client;
  private final Map<String, SellerView> sellers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retry;
  private final Object lock = new Object();
  private RegistryClient.Watch watch;
  private volatile boolean closed;

  private RegistryDashboardSource(RegistryClient client) {
    this.client = client;
    this.retry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-registry-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /** Watches the registry at {@code host:port}. */
  public static RegistryDashboardSource connect(String target) {
    Objects.requireNonNull(target, "target");
    RegistryDashboardSource s = new RegistryDashboardSource(RegistryClient.connect(target));
    s.startWatch();
    return s;
  }

  @Override
  public List<SellerView> sellers() {
    return new ArrayList<>(sellers.values());
  }

  private void startWatch() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      watch =
          client.watch(
              WatchRequest.newBuilder().setSendSnapshot(true).build(),
              new StreamObserver<>() {
                private final Map<String, SellerView> snapshot = new ConcurrentHashMap<>();
                private boolean inSnapshot = true;

                @Override
                public void onNext(PeerEvent e) {
                  switch (e.getKind()) {
                    case ADDED, UPDATED -> {
                      SellerView v = view(e.getPeer());
                      if (inSnapshot) {
                        snapshot.put(v.peerId(), v);
                      } else {
                        sellers.put(v.peerId(), v);
                      }
                    }
                    case REMOVED -> sellers.remove(e.getPeerId());
                    case SNAPSHOT_DONE -> {
                      inSnapshot = false;
                      sellers.keySet().retainAll(snapshot.keySet());
                      sellers.putAll(snapshot);
                    }
                    default -> {}
                  }
                }

                @Override
                public void onError(Throwable t) {
                  reopenLater(t.getMessage());
                }

                @Override
                public void onCompleted() {
                  reopenLater("stream completed");
                }
              });
    }
  }

  private void reopenLater(String why) {
    if (closed) {
      return;
    }
    LOG.debug("registry watch ended ({}); retrying in {} ms", why, RETRY_MS);
    try {
      retry.schedule(this::startWatch, RETRY_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // closing
    }
  }

  static SellerView view(PeerListing p) {
    SellerRegistration r = p.getRegistration();
    List<SellerView.OfferingView> offs = new ArrayList<>();
    for (Offering o : r.getOfferingsList()) {
      offs.add(
          new SellerView.OfferingView(
              o.getOfferingId(),
              o.getServiceIdsList(),
              o.getPricing().getInputPerMillion(),
              o.getPricing().getOutputPerMillion(),
              o.getPricing().getCachedInputPerMillion()));
    }
    return new SellerView(
        r.getPeerId(),
        r.getEndpoint(),
        offs,
        p.getHealth(),
        p.getLoad().getInFlight(),
        p.getLoad().getCapacity(),
        p.getLastHeartbeatMs());
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (watch != null) {
        watch.close();
      }
    }
    retry.shutdownNow();
    client.close();
  }
}
