package org.openshard.sdk;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.WatchRequest;
import org.openshard.registry.client.RegistryClient;

/**
 * The market as seen through its registries: who sells what, live. Give it every replica of the
 * registry (or several registries) in failover order; each call goes to the first that answers.
 *
 * <pre>{@code
 * try (Network net = Network.connect("10.0.0.5:7400", "10.0.0.6:7400")) {
 *   for (PeerListing p : net.discover("llama-3.1-8b", DiscoverFilters.builder().maxOutputPrice(2_000_000).build())) {
 *     System.out.println(p.getRegistration().getPeerId() + " at " + p.getRegistration().getEndpoint());
 *   }
 *   try (Network.Subscription s = net.watch(listener)) { ... }
 * }
 * }</pre>
 *
 * Listings are as the registry returns them; {@code signed_registration} lets you verify each one
 * yourself ({@code BuyerClient} does). Thread-safe.
 */
public final class Network implements AutoCloseable {
  private static final long RECONNECT_MS = 1_000;

  private final List<String> targets;
  private final List<RegistryClient> clients = new ArrayList<>();
  private final ScheduledExecutorService scheduler;
  private volatile int preferred;

  private Network(List<String> targets) {
    this.targets = List.copyOf(targets);
    for (String t : targets) {
      clients.add(RegistryClient.connect(t));
    }
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "openshard-network");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects (lazily, plaintext) to registries given as {@code host:port}, in failover order.
   *
   * @throws IllegalArgumentException if none is given or one is blank
   */
  public static Network connect(String... registries) {
    Objects.requireNonNull(registries, "registries");
    if (registries.length == 0) {
      throw new IllegalArgumentException("Network.connect needs at least one registry (host:port)");
    }
    List<String> list = new ArrayList<>();
    for (String r : registries) {
      if (r == null || r.isBlank()) {
        throw new IllegalArgumentException("blank registry target");
      }
      list.add(r.trim());
    }
    return new Network(list);
  }

  public List<String> registries() {
    return targets;
  }

  /** Live sellers of {@code serviceId} matching {@code filters}, best first. */
  public List<PeerListing> discover(String serviceId, DiscoverFilters filters) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(filters, "filters");
    DiscoverRequest req =
        DiscoverRequest.newBuilder()
            .setServiceId(serviceId)
            .setCapability(filters.capability())
            .setMaxInputPrice(filters.maxInputPrice())
            .setMaxOutputPrice(filters.maxOutputPrice())
            .setMinHealth(filters.minHealth())
            .setLimit(Math.min(500, filters.maxResults()))
            .build();
    List<PeerListing> all = firstAnswer(c -> c.discoverAll(req, 100));
    return all.size() > filters.maxResults() ? List.copyOf(all.subList(0, filters.maxResults())) : List.copyOf(all);
  }

  /** {@link #discover(String, DiscoverFilters)} without filters. */
  public List<PeerListing> discover(String serviceId) {
    return discover(serviceId, DiscoverFilters.none());
  }

  /**
   * The latest published anchor set (the buyer credentials ring proofs are made over).
   *
   * @throws io.grpc.StatusRuntimeException NOT_FOUND before any buyer has enrolled
   */
  public AnchorSet anchorSet() {
    return firstAnswer(c -> c.anchorSet(0));
  }

  /** The anchor set of {@code epoch}. */
  public AnchorSet anchorSet(long epoch) {
    return firstAnswer(c -> c.anchorSet(epoch));
  }

  private <T> T firstAnswer(Function<RegistryClient, T> call) {
    StringBuilder failures = new StringBuilder();
    StatusRuntimeException last = null;
    int start = preferred;
    for (int i = 0; i < clients.size(); i++) {
      int idx = (start + i) % clients.size();
      try {
        T v = call.apply(clients.get(idx));
        preferred = idx;
        return v;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e; // the registry answered: a refusal is not a reason to ask another
        }
        last = e;
        failures.append(failures.length() == 0 ? "" : "; ").append(targets.get(idx)).append(": ").append(code);
      }
    }
    throw new NetworkException("no registry answered (" + failures + ")", last);
  }

  /** A running watch; {@link #close()} stops it. */
  public final class Subscription implements AutoCloseable {
    private final String serviceId;
    private final SellerListener listener;
    private RegistryClient.Watch current;
    private int target;
    private boolean closed;

    private Subscription(String serviceId, SellerListener listener) {
      this.serviceId = serviceId;
      this.listener = listener;
      this.target = preferred;
    }

    private synchronized void open() {
      if (closed) {
        return;
      }
      RegistryClient c = clients.get(target);
      current =
          c.watch(
              WatchRequest.newBuilder().setServiceId(serviceId).setSendSnapshot(true).build(),
              new StreamObserver<>() {
                @Override
                public void onNext(PeerEvent e) {
                  synchronized (Subscription.this) {
                    if (closed) {
                      return;
                    }
                    switch (e.getKind()) {
                      case ADDED -> listener.added(e.getPeer());
                      case UPDATED -> listener.updated(e.getPeer());
                      case REMOVED -> listener.removed(e.getPeerId(), e.getReason());
                      case SNAPSHOT_DONE -> listener.snapshotDone();
                      default -> {}
                    }
                  }
                }

                @Override
                public void onError(Throwable t) {
                  failed(t);
                }

                @Override
                public void onCompleted() {
                  failed(Status.UNAVAILABLE.withDescription("registry ended the watch").asRuntimeException());
                }
              });
    }

    private synchronized void failed(Throwable t) {
      if (closed) {
        return;
      }
      listener.disconnected(t);
      target = (target + 1) % clients.size();
      try {
        scheduler.schedule(this::open, RECONNECT_MS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closed = true; // the Network was closed
      }
    }

    /** Which registry the watch currently follows. */
    public synchronized String registry() {
      return targets.get(target);
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (current != null) {
        current.close();
      }
    }
  }

  /** Follows added / updated / removed sellers of every service, failing over between registries. */
  public Subscription watch(SellerListener listener) {
    return watch("", listener);
  }

  /** Follows the sellers of {@code serviceId} ({@code ""} = all). */
  public Subscription watch(String serviceId, SellerListener listener) {
    Subscription s = new Subscription(Objects.requireNonNull(serviceId), Objects.requireNonNull(listener));
    s.open();
    return s;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    for (RegistryClient c : clients) {
      c.close();
    }
  }
}
