package org.openshard.registry.store;

import java.util.List;

/**
 * The registry's index: registrations, liveness deadlines, a per-service index and the anti-replay
 * timestamps of signed messages. Every method either completes or throws {@link StoreException}
 * (the caller answers UNAVAILABLE / STORE_UNAVAILABLE) — a store never answers from a stale or empty
 * view when its backend is unreachable.
 *
 * <p>A peer is live at time {@code now} iff it is registered and {@code now <= deadline}. Expired
 * peers are invisible to {@link #live} immediately; {@link #pruneExpired} deletes them and raises
 * REMOVED("expired") exactly once per expiry, even with several registry replicas.
 *
 * <p>Thread-safe. Implementations: {@link InMemoryPeerStore} (default, one replica) and {@link
 * org.openshard.registry.store.redis.RedisPeerStore} (shared by replicas).
 */
public interface PeerStore extends AutoCloseable {
  /**
   * Stores a validated registration if its timestamp is strictly newer than the last registration
   * or deregistration accepted for the peer id, replacing any previous registration, and raises
   * ADDED or UPDATED. A previous registration that had already expired is removed first (raising
   * REMOVED "expired") and the new one counts as ADDED.
   *
   * @param initial liveness: empty load, {@code lastHeartbeatMs} = now, the first deadline
   */
  RegisterResult register(PeerRecord record, HeartbeatToken token, Liveness initial) throws StoreException;

  /**
   * Extends a live peer's deadline and stores its load. O(1): no global lock (in memory), one round
   * trip (Redis).
   *
   * @param next the new liveness ({@code lastHeartbeatMs} = now)
   */
  HeartbeatResult heartbeat(String peerId, HeartbeatToken token, Liveness next) throws StoreException;

  /**
   * Removes a peer at once if {@code timestampMs} is strictly newer than the last signed message
   * accepted for it, and raises REMOVED("deregistered").
   */
  DeregisterResult deregister(String peerId, long timestampMs, long nowMs) throws StoreException;

  /** Live peers offering {@code serviceId}, or all live peers if it is empty. Unordered. */
  List<LivePeer> live(String serviceId, long nowMs) throws StoreException;

  /** Deletes peers whose deadline is before {@code nowMs}; returns how many this call removed. */
  int pruneExpired(long nowMs) throws StoreException;

  PeerCounts counts(long nowMs) throws StoreException;

  /** The one listener for index changes (replaces any previous one). */
  void setListener(StoreEventListener listener);

  /** Whether the event feed is connected (Watch refuses to start otherwise). */
  boolean eventsConnected();

  @Override
  void close();
}
