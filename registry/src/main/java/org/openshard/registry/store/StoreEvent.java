package org.openshard.registry.store;

import java.util.List;
import java.util.Objects;

/**
 * A change of the live index, raised by the store that made it (in memory: the store itself; with
 * Redis: every replica receives it over pub/sub).
 *
 * @param peer the registration and liveness for ADDED / UPDATED; null for REMOVED
 * @param serviceIds the service ids the peer offers now (ADDED / UPDATED) or offered last (REMOVED)
 * @param previousServiceIds for UPDATED, the service ids of the replaced registration; else empty
 * @param reason for REMOVED: {@link #DEREGISTERED} or {@link #EXPIRED}; else empty
 */
public record StoreEvent(
    Kind kind, String peerId, LivePeer peer, List<String> serviceIds, List<String> previousServiceIds, String reason) {
  public static final String DEREGISTERED = "deregistered";
  public static final String EXPIRED = "expired";

  /** What changed. */
  public enum Kind {
    ADDED,
    UPDATED,
    REMOVED,
  }

  public StoreEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(peerId, "peerId");
    serviceIds = List.copyOf(serviceIds);
    previousServiceIds = List.copyOf(previousServiceIds);
    reason = reason == null ? "" : reason;
    if ((kind == Kind.REMOVED) != (peer == null)) {
      throw new IllegalArgumentException("REMOVED events carry no peer; ADDED/UPDATED must");
    }
  }

  public static StoreEvent added(LivePeer peer) {
    return new StoreEvent(Kind.ADDED, peer.peerId(), peer, peer.record().serviceIds(), List.of(), "");
  }

  public static StoreEvent updated(LivePeer peer, List<String> previousServiceIds) {
    return new StoreEvent(Kind.UPDATED, peer.peerId(), peer, peer.record().serviceIds(), previousServiceIds, "");
  }

  public static StoreEvent removed(String peerId, List<String> serviceIds, String reason) {
    return new StoreEvent(Kind.REMOVED, peerId, null, serviceIds, List.of(), reason);
  }
}
