package org.openshard.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.LoadReport;
import org.openshard.registry.TestSeller;
import org.openshard.registry.store.redis.RedisPeerStore;
import org.openshard.testing.RedisServer;

class RedisPeerStoreTest extends PeerStoreContract {
  private static RedisServer redis;
  private static final AtomicInteger PREFIXES = new AtomicInteger();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startOrShared();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  PeerStore newStore(long retentionMs) throws Exception {
    prefix = "test" + ProcessHandle.current().pid() + "-" + PREFIXES.incrementAndGet() + ":";
    return RedisPeerStore.connect(redis.uri(), prefix, retentionMs);
  }

  @Test
  void replicasShareTheIndexAndSeeEachOthersEvents() throws Exception {
    try (RedisPeerStore other = RedisPeerStore.connect(redis.uri(), prefix, RETENTION)) {
      BlockingQueue<StoreEvent> otherEvents = new LinkedBlockingQueue<>();
      other.setListener(otherEvents::add);
      TestSeller a = new TestSeller();
      HeartbeatToken token = HeartbeatToken.generate();
      store.register(record(a, T0, "m"), token, at(T0));
      StoreEvent seen = otherEvents.poll(5, TimeUnit.SECONDS);
      assertNotNull(seen);
      assertEquals(StoreEvent.Kind.ADDED, seen.kind());
      assertEquals(a.peerId(), seen.peerId());
      assertEquals(StoreEvent.Kind.ADDED, nextEvent().kind());
      // Heartbeat via this replica, read via the other.
      LoadReport load = LoadReport.newBuilder().setInFlight(2).setCapacity(4).build();
      assertEquals(HeartbeatResult.OK, other.heartbeat(a.peerId(), token, new Liveness(load, T0 + 900, T0 + 1900)));
      assertEquals(load, store.live("m", T0 + 1500).get(0).liveness().load());
      // Both prune; exactly one removes, both replicas see one REMOVED.
      long late = T0 + 1901;
      int removed = store.pruneExpired(late) + other.pruneExpired(late);
      assertEquals(1, removed);
      assertEquals(StoreEvent.EXPIRED, otherEvents.poll(5, TimeUnit.SECONDS).reason());
      assertEquals(StoreEvent.EXPIRED, nextEvent().reason());
      assertNull(otherEvents.poll(300, TimeUnit.MILLISECONDS));
      assertNoEvent();
    }
  }

  @Test
  void indexOutlivesTheStoreInstance() throws Exception {
    TestSeller a = new TestSeller();
    store.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0));
    store.close();
    store = RedisPeerStore.connect(redis.uri(), prefix, RETENTION);
    assertEquals(List.of(a.peerId()), ids(store.live("m", T0 + 1)));
    assertEquals(1, store.pruneExpired(T0 + WINDOW + 1));
    assertTrue(store.live("", T0 + 1).isEmpty());
  }

  @Test
  void snapshotOfAllWalksEveryLivePeer() throws Exception {
    for (int i = 0; i < 30; i++) {
      store.register(record(new TestSeller(), T0, "s" + (i % 4)), HeartbeatToken.generate(), at(T0 + i));
    }
    assertEquals(30, store.live("", T0 + 100).size());
    assertEquals(8, store.live("s0", T0 + 100).size());
    // Only those whose deadline (T0 + i + WINDOW) is not yet passed.
    assertEquals(10, store.live("", T0 + WINDOW + 20).size());
  }

  @Test
  void redisDownFailsClosed() throws Exception {
    RedisServer own = RedisServer.startPrivate();
    RedisPeerStore s = RedisPeerStore.connect(own.uri(), "down:", RETENTION);
    AtomicInteger interrupted = new AtomicInteger();
    s.setListener(
        new StoreEventListener() {
          @Override
          public void onEvent(StoreEvent event) {}

          @Override
          public void onEventsInterrupted(String why) {
            interrupted.incrementAndGet();
          }
        });
    TestSeller a = new TestSeller();
    HeartbeatToken token = HeartbeatToken.generate();
    s.register(record(a, T0, "m"), token, at(T0));
    assertTrue(s.eventsConnected());
    own.close();
    assertThrows(StoreException.class, () -> s.live("m", T0));
    assertThrows(StoreException.class, () -> s.heartbeat(a.peerId(), token, at(T0)));
    assertThrows(StoreException.class, () -> s.register(record(a, T0 + 1, "m"), token, at(T0)));
    assertThrows(StoreException.class, () -> s.deregister(a.peerId(), T0 + 2, T0));
    assertThrows(StoreException.class, () -> s.pruneExpired(T0));
    assertThrows(StoreException.class, () -> s.counts(T0));
    long deadline = System.currentTimeMillis() + 5_000;
    while ((s.eventsConnected() || interrupted.get() == 0) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertFalse(s.eventsConnected());
    assertTrue(interrupted.get() >= 1);
    s.close();
    assertThrows(StoreException.class, () -> RedisPeerStore.connect(own.uri(), "down:", RETENTION));
  }
}
