package org.openshard.registry.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-replica store. Heartbeats touch only their own peer's entry (one hash lookup and one
 * volatile write, no lock); registration changes of one peer are serialized by the map's per-key
 * lock and raise their events while holding it, so events of one peer are delivered in order.
 */
public final class InMemoryPeerStore implements PeerStore {
  /** Mutable only in its liveness, which heartbeats replace as a whole. */
  private static final class Entry {
    final PeerRecord record;
    final HeartbeatToken token;
    volatile Liveness liveness;

    Entry(PeerRecord record, HeartbeatToken token, Liveness liveness) {
      this.record = record;
      this.token = token;
      this.liveness = liveness;
    }

    LivePeer view() {
      return new LivePeer(record, liveness);
    }
  }

  /** Per peer id: the last accepted signed timestamp and the current registration (or null). */
  private record Slot(long lastSignedTs, Entry current) {}

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> byService = new ConcurrentHashMap<>();
  private final long antiReplayRetentionMs;
  private volatile StoreEventListener listener = event -> {};

  /**
   * @param antiReplayRetentionMs how long the last signed timestamp of a peer with no registration
   *     is kept; must exceed twice the clock-skew window so a replay is always caught by either the
   *     skew check or this record
   */
  public InMemoryPeerStore(long antiReplayRetentionMs) {
    this.antiReplayRetentionMs = antiReplayRetentionMs;
  }

  @Override
  public RegisterResult register(PeerRecord record, HeartbeatToken token, Liveness initial) {
    String peerId = record.peerId();
    long ts = record.timestampMs();
    long now = initial.lastHeartbeatMs();
    RegisterResult[] result = new RegisterResult[1];
    slots.compute(
        peerId,
        (k, slot) -> {
          if (slot != null && ts <= slot.lastSignedTs()) {
            result[0] = RegisterResult.stale(slot.lastSignedTs());
            return slot;
          }
          Entry old = slot == null ? null : slot.current();
          if (old != null && !old.liveness.isLive(now)) {
            unindex(old, List.of());
            emit(StoreEvent.removed(peerId, old.record.serviceIds(), StoreEvent.EXPIRED));
            old = null;
          }
          Entry fresh = new Entry(record, token, initial);
          for (String s : record.serviceIds()) {
            byService.compute(
                s,
                (x, m) -> {
                  ConcurrentHashMap<String, Entry> peers = m == null ? new ConcurrentHashMap<>() : m;
                  peers.put(peerId, fresh);
                  return peers;
                });
          }
          if (old == null) {
            emit(StoreEvent.added(fresh.view()));
            result[0] = RegisterResult.added();
          } else {
            unindex(old, record.serviceIds());
            emit(StoreEvent.updated(fresh.view(), old.record.serviceIds()));
            result[0] = RegisterResult.updated();
          }
          return new Slot(ts, fresh);
        });
    return result[0];
  }

  @Override
  public HeartbeatResult heartbeat(String peerId, HeartbeatToken token, Liveness next) {
    Slot slot = slots.get(peerId);
    Entry e = slot == null ? null : slot.current();
    if (e == null || !e.liveness.isLive(next.lastHeartbeatMs())) {
      return HeartbeatResult.UNKNOWN_PEER;
    }
    if (!e.token.matches(token)) {
      return HeartbeatResult.BAD_TOKEN;
    }
    e.liveness = next;
    return HeartbeatResult.OK;
  }

  @Override
  public DeregisterResult deregister(String peerId, long timestampMs, long nowMs) {
    DeregisterResult[] result = new DeregisterResult[1];
    slots.compute(
        peerId,
        (k, slot) -> {
          if (slot != null && timestampMs <= slot.lastSignedTs()) {
            result[0] = DeregisterResult.stale(slot.lastSignedTs());
            return slot;
          }
          Entry old = slot == null ? null : slot.current();
          if (old == null) {
            result[0] = DeregisterResult.notRegistered();
          } else {
            boolean live = old.liveness.isLive(nowMs);
            unindex(old, List.of());
            emit(StoreEvent.removed(peerId, old.record.serviceIds(), live ? StoreEvent.DEREGISTERED : StoreEvent.EXPIRED));
            result[0] = live ? DeregisterResult.removed() : DeregisterResult.notRegistered();
          }
          return new Slot(timestampMs, null);
        });
    return result[0];
  }

  @Override
  public List<LivePeer> live(String serviceId, long nowMs) {
    List<LivePeer> out = new ArrayList<>();
    if (serviceId == null || serviceId.isEmpty()) {
      for (Slot s : slots.values()) {
        Entry e = s.current();
        if (e != null) {
          addIfLive(out, e, nowMs);
        }
      }
    } else {
      Map<String, Entry> peers = byService.get(serviceId);
      if (peers != null) {
        for (Entry e : peers.values()) {
          addIfLive(out, e, nowMs);
        }
      }
    }
    return out;
  }

  private static void addIfLive(List<LivePeer> out, Entry e, long nowMs) {
    Liveness l = e.liveness;
    if (l.isLive(nowMs)) {
      out.add(new LivePeer(e.record, l));
    }
  }

  @Override
  public int pruneExpired(long nowMs) {
    int removed = 0;
    for (Map.Entry<String, Slot> me : slots.entrySet()) {
      Slot s = me.getValue();
      Entry e = s.current();
      if (e != null && !e.liveness.isLive(nowMs)) {
        boolean[] did = new boolean[1];
        slots.computeIfPresent(
            me.getKey(),
            (k, slot) -> {
              Entry cur = slot.current();
              if (cur == null || cur.liveness.isLive(nowMs)) {
                return slot;
              }
              unindex(cur, List.of());
              emit(StoreEvent.removed(k, cur.record.serviceIds(), StoreEvent.EXPIRED));
              did[0] = true;
              return new Slot(slot.lastSignedTs(), null);
            });
        if (did[0]) {
          removed++;
        }
      } else if (e == null && s.lastSignedTs() < nowMs - antiReplayRetentionMs) {
        slots.remove(me.getKey(), s);
      }
    }
    return removed;
  }

  @Override
  public PeerCounts counts(long nowMs) {
    long live = 0;
    long expired = 0;
    for (Slot s : slots.values()) {
      Entry e = s.current();
      if (e != null) {
        if (e.liveness.isLive(nowMs)) {
          live++;
        } else {
          expired++;
        }
      }
    }
    return new PeerCounts(live, expired);
  }

  /** Removes {@code e} from the service index, except for the service ids in {@code keep}. */
  private void unindex(Entry e, List<String> keep) {
    Set<String> keepSet = keep.isEmpty() ? Set.of() : new HashSet<>(keep);
    for (String s : e.record.serviceIds()) {
      if (!keepSet.contains(s)) {
        byService.computeIfPresent(
            s,
            (k, m) -> {
              m.remove(e.record.peerId(), e);
              return m.isEmpty() ? null : m;
            });
      }
    }
  }

  private void emit(StoreEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException ignored) {
      // A listener bug must never corrupt the index.
    }
  }

  @Override
  public void setListener(StoreEventListener listener) {
    this.listener = listener == null ? event -> {} : listener;
  }

  @Override
  public boolean eventsConnected() {
    return true;
  }

  @Override
  public void close() {}
}
