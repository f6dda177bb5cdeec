package org.openshard.registry.watch;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.store.StoreEvent;
import org.openshard.registry.store.StoreEventListener;
import org.openshard.runtime.ErrorCodes;

/**
 * Fans store events out to the Watch streams of this replica, by service id. ADDED goes to watchers
 * of the peer's service ids, UPDATED to watchers of its new or previous service ids, REMOVED (with
 * no listing) to watchers of its last service ids; watchers of "" see everything.
 */
public final class WatchHub implements StoreEventListener {
  private static final String ALL = "";

  private final ConcurrentHashMap<String, Set<Watcher>> byFilter = new ConcurrentHashMap<>();
  private final Function<LivePeer, PeerListing> listing;
  private final int capacity;

  /**
   * @param listing builds the listing sent in ADDED/UPDATED events (health computed now, score 0)
   * @param capacity live events a watcher may have pending before it is dropped
   */
  public WatchHub(Function<LivePeer, PeerListing> listing, int capacity) {
    this.listing = listing;
    this.capacity = capacity;
  }

  /** Handle to a registered watcher: start it once its snapshot (if any) is read. */
  public final class Registration {
    private final Watcher watcher;

    private Registration(Watcher watcher) {
      this.watcher = watcher;
    }

    /** Starts sending; {@code snapshot} may be null (no snapshot wanted). */
    public void start(List<LivePeer> snapshot) {
      Iterator<LivePeer> it = snapshot == null ? null : snapshot.iterator();
      watcher.start(it, p -> PeerEvent.newBuilder().setKind(PeerEvent.Kind.ADDED).setPeerId(p.peerId()).setPeer(listing.apply(p)).build());
    }

    public void fail(io.grpc.StatusRuntimeException status) {
      watcher.fail(status);
    }
  }

  /**
   * Registers a watcher. Live events are buffered from now on, so nothing between this call and the
   * snapshot read is lost (an event may repeat what the snapshot shows; apply idempotently).
   */
  public Registration register(ServerCallStreamObserver<PeerEvent> out, String serviceFilter) {
    String key = serviceFilter == null ? ALL : serviceFilter;
    Set<Watcher> set = byFilter.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
    Watcher[] self = new Watcher[1];
    Watcher w = new Watcher(out, key, capacity, () -> remove(self[0]));
    self[0] = w;
    set.add(w);
    out.setOnReadyHandler(w::drain);
    out.setOnCancelHandler(w::cancelled);
    return new Registration(w);
  }

  private void remove(Watcher w) {
    Set<Watcher> set = byFilter.get(w.serviceFilter());
    if (set != null) {
      set.remove(w);
    }
  }

  /** Active watchers. */
  public int count() {
    int n = 0;
    for (Set<Watcher> s : byFilter.values()) {
      n += s.size();
    }
    return n;
  }

  @Override
  public void onEvent(StoreEvent e) {
    List<Watcher> targets = new ArrayList<>();
    collect(ALL, targets);
    for (String s : e.serviceIds()) {
      collect(s, targets);
    }
    for (String s : e.previousServiceIds()) {
      if (!e.serviceIds().contains(s)) {
        collect(s, targets);
      }
    }
    if (targets.isEmpty()) {
      return;
    }
    PeerEvent.Builder b = PeerEvent.newBuilder().setPeerId(e.peerId());
    switch (e.kind()) {
      case ADDED:
        b.setKind(PeerEvent.Kind.ADDED).setPeer(listing.apply(e.peer()));
        break;
      case UPDATED:
        b.setKind(PeerEvent.Kind.UPDATED).setPeer(listing.apply(e.peer()));
        break;
      default:
        b.setKind(PeerEvent.Kind.REMOVED).setReason(e.reason());
        break;
    }
    PeerEvent event = b.build();
    for (Watcher w : targets) {
      w.offer(event);
    }
  }

  private void collect(String key, List<Watcher> into) {
    Set<Watcher> set = byFilter.get(key);
    if (set != null) {
      into.addAll(set);
    }
  }

  /** The store's event feed broke: every watcher may have missed events, so all are ended. */
  @Override
  public void onEventsInterrupted(String why) {
    failAll(ErrorCodes.toStatus(ErrorCode.STORE_UNAVAILABLE, "watch feed interrupted: " + why, null, true));
  }

  /** Ends every watcher (used on shutdown and when the feed breaks). */
  public void failAll(io.grpc.StatusRuntimeException status) {
    for (Set<Watcher> set : byFilter.values()) {
      for (Watcher w : List.copyOf(set)) {
        w.fail(status);
      }
    }
  }
}
