package org.openshard.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.LoadReport;
import org.openshard.registry.TestSeller;

/**
 * The behaviour every {@link PeerStore} must have. Times are synthetic (explicit "now" values), so
 * liveness is deterministic.
 */
abstract class PeerStoreContract {
  static final long T0 = 1_000_000_000L;
  static final long WINDOW = 1_000;
  static final long RETENTION = 60_000;

  protected PeerStore store;
  protected final BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();

  abstract PeerStore newStore(long retentionMs) throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore(RETENTION);
    store.setListener(events::add);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static PeerRecord record(TestSeller s, long ts, String... services) {
    try {
      return PeerRecord.decode(s.sign(s.registration(services).setTimestampMs(ts)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Liveness at(long now) {
    return new Liveness(LoadReport.getDefaultInstance(), now, now + WINDOW);
  }

  StoreEvent nextEvent() throws InterruptedException {
    StoreEvent e = events.poll(5, TimeUnit.SECONDS);
    assertNotNull(e, "expected a store event");
    return e;
  }

  void assertNoEvent() throws InterruptedException {
    assertNull(events.poll(200, TimeUnit.MILLISECONDS));
  }

  static List<String> ids(List<LivePeer> peers) {
    return peers.stream().map(LivePeer::peerId).sorted().collect(Collectors.toList());
  }

  @Test
  void registerIndexesByServiceAndRaisesAdded() throws Exception {
    TestSeller a = new TestSeller();
    PeerRecord r = record(a, T0, "m", "n");
    assertEquals(RegisterResult.Outcome.ADDED, store.register(r, HeartbeatToken.generate(), at(T0)).outcome());
    assertEquals(List.of(a.peerId()), ids(store.live("m", T0)));
    assertEquals(List.of(a.peerId()), ids(store.live("n", T0)));
    assertEquals(List.of(a.peerId()), ids(store.live("", T0)));
    assertTrue(store.live("other", T0).isEmpty());
    LivePeer got = store.live("m", T0).get(0);
    assertEquals(r.signed(), got.record().signed());
    assertEquals(T0, got.liveness().lastHeartbeatMs());
    assertEquals(T0 + WINDOW, got.liveness().deadlineMs());
    StoreEvent e = nextEvent();
    assertEquals(StoreEvent.Kind.ADDED, e.kind());
    assertEquals(a.peerId(), e.peerId());
    assertEquals(List.of("m", "n"), e.serviceIds());
    assertEquals(r.signed(), e.peer().record().signed());
  }

  @Test
  void newerRegistrationUpdatesAndReindexes() throws Exception {
    TestSeller a = new TestSeller();
    store.register(record(a, T0, "m", "n"), HeartbeatToken.generate(), at(T0));
    nextEvent();
    RegisterResult r = store.register(record(a, T0 + 1, "n", "o"), HeartbeatToken.generate(), at(T0 + 1));
    assertEquals(RegisterResult.Outcome.UPDATED, r.outcome());
    assertTrue(store.live("m", T0 + 1).isEmpty());
    assertEquals(List.of(a.peerId()), ids(store.live("n", T0 + 1)));
    assertEquals(List.of(a.peerId()), ids(store.live("o", T0 + 1)));
    StoreEvent e = nextEvent();
    assertEquals(StoreEvent.Kind.UPDATED, e.kind());
    assertEquals(List.of("n", "o"), e.serviceIds());
    assertEquals(List.of("m", "n"), e.previousServiceIds());
  }

  @Test
  void notStrictlyNewerIsStale() throws Exception {
    TestSeller a = new TestSeller();
    store.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0));
    nextEvent();
    RegisterResult same = store.register(record(a, T0, "x"), HeartbeatToken.generate(), at(T0));
    assertEquals(RegisterResult.Outcome.STALE, same.outcome());
    assertEquals(T0, same.lastAcceptedTimestampMs());
    assertEquals(RegisterResult.Outcome.STALE, store.register(record(a, T0 - 5, "x"), HeartbeatToken.generate(), at(T0)).outcome());
    assertTrue(store.live("x", T0).isEmpty());
    assertEquals(1, store.live("m", T0).size());
    assertNoEvent();
  }

  @Test
  void heartbeatChecksTokenAndExtendsLiveness() throws Exception {
    TestSeller a = new TestSeller();
    HeartbeatToken token = HeartbeatToken.generate();
    store.register(record(a, T0, "m"), token, at(T0));
    LoadReport load = LoadReport.newBuilder().setInFlight(3).setCapacity(8).build();
    long t1 = T0 + WINDOW - 10;
    assertEquals(HeartbeatResult.OK, store.heartbeat(a.peerId(), HeartbeatToken.of(token.toBytes()), new Liveness(load, t1, t1 + WINDOW)));
    assertEquals(HeartbeatResult.BAD_TOKEN, store.heartbeat(a.peerId(), HeartbeatToken.generate(), new Liveness(load, t1, t1 + WINDOW)));
    assertEquals(HeartbeatResult.UNKNOWN_PEER, store.heartbeat(new TestSeller().peerId(), token, at(t1)));
    // Still live after the first deadline thanks to the heartbeat.
    LivePeer p = store.live("m", T0 + WINDOW + 100).get(0);
    assertEquals(load, p.liveness().load());
    assertEquals(t1, p.liveness().lastHeartbeatMs());
    // Past the new deadline: invisible, and heartbeats are refused even before pruning.
    long late = t1 + WINDOW + 1;
    assertTrue(store.live("m", late).isEmpty());
    assertTrue(store.live("", late).isEmpty());
    assertEquals(HeartbeatResult.UNKNOWN_PEER, store.heartbeat(a.peerId(), token, at(late)));
  }

  @Test
  void pruneRemovesExpiredOnceAndRaisesExpired() throws Exception {
    TestSeller a = new TestSeller();
    TestSeller b = new TestSeller();
    store.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0));
    store.register(record(b, T0, "m"), HeartbeatToken.generate(), at(T0 + 500));
    nextEvent();
    nextEvent();
    assertEquals(new PeerCounts(2, 0), store.counts(T0 + 100));
    long t = T0 + WINDOW + 1;
    assertEquals(new PeerCounts(1, 1), store.counts(t));
    assertEquals(1, store.pruneExpired(t));
    assertEquals(0, store.pruneExpired(t));
    StoreEvent e = nextEvent();
    assertEquals(StoreEvent.Kind.REMOVED, e.kind());
    assertEquals(a.peerId(), e.peerId());
    assertEquals(StoreEvent.EXPIRED, e.reason());
    assertEquals(List.of("m"), e.serviceIds());
    assertNull(e.peer());
    assertEquals(List.of(b.peerId()), ids(store.live("m", t)));
    assertEquals(new PeerCounts(1, 0), store.counts(t));
    assertNoEvent();
  }

  @Test
  void deregisterRemovesAtOnceAndIsReplayProtected() throws Exception {
    TestSeller a = new TestSeller();
    HeartbeatToken token = HeartbeatToken.generate();
    store.register(record(a, T0, "m"), token, at(T0));
    nextEvent();
    assertEquals(DeregisterResult.Outcome.STALE, store.deregister(a.peerId(), T0, T0).outcome());
    assertEquals(DeregisterResult.Outcome.REMOVED, store.deregister(a.peerId(), T0 + 10, T0 + 10).outcome());
    StoreEvent e = nextEvent();
    assertEquals(StoreEvent.Kind.REMOVED, e.kind());
    assertEquals(StoreEvent.DEREGISTERED, e.reason());
    assertTrue(store.live("m", T0 + 10).isEmpty());
    assertEquals(HeartbeatResult.UNKNOWN_PEER, store.heartbeat(a.peerId(), token, at(T0 + 11)));
    // Replaying the deregistration or the old registration fails; a newer registration works.
    assertEquals(DeregisterResult.Outcome.STALE, store.deregister(a.peerId(), T0 + 10, T0 + 12).outcome());
    assertEquals(RegisterResult.Outcome.STALE, store.register(record(a, T0 + 5, "m"), token, at(T0 + 12)).outcome());
    assertEquals(RegisterResult.Outcome.ADDED, store.register(record(a, T0 + 20, "m"), token, at(T0 + 20)).outcome());
    // Deregistering an unknown peer is accepted but removes nothing.
    assertEquals(DeregisterResult.Outcome.NOT_REGISTERED, store.deregister(new TestSeller().peerId(), T0, T0).outcome());
  }

  @Test
  void registeringOverAnExpiredRegistrationCountsAsAdded() throws Exception {
    TestSeller a = new TestSeller();
    store.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0));
    nextEvent();
    long late = T0 + WINDOW + 1;
    assertEquals(RegisterResult.Outcome.ADDED, store.register(record(a, late, "m"), HeartbeatToken.generate(), at(late)).outcome());
    StoreEvent removed = nextEvent();
    assertEquals(StoreEvent.Kind.REMOVED, removed.kind());
    assertEquals(StoreEvent.EXPIRED, removed.reason());
    assertEquals(StoreEvent.Kind.ADDED, nextEvent().kind());
    assertEquals(1, store.live("m", late).size());
  }
}
