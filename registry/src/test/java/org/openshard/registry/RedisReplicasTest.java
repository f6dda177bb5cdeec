package org.openshard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.registry.GrpcAssertions.assertRefused;
import static org.openshard.registry.GrpcAssertions.assertStatus;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.WatchRequest;
import org.openshard.registry.client.HeartbeatSession;
import org.openshard.registry.client.RegistryClient;
import org.openshard.registry.store.redis.RedisKeys;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.RedisServer;
import redis.clients.jedis.JedisPooled;

/** Several registry replicas over one Redis, on real sockets. */
class RedisReplicasTest {
  private static RedisServer redis;

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

  private static RegistryConfig config(String prefix) {
    // Window 3 s: a restart of both replicas fits well inside it even on a loaded machine.
    return RegistryConfig.builder()
        .heartbeatInterval(Duration.ofMillis(1_000))
        .missedHeartbeats(3)
        .redisKeyPrefix(prefix)
        .build();
  }

  private static RegistryServer replica(String uri, String prefix) throws Exception {
    return RegistryServer.builder().listen(ListenAddress.loopback(0)).config(config(prefix)).redis(uri).start();
  }

  private static List<String> ids(DiscoverResponse r) {
    return r.getPeersList().stream().map(l -> l.getRegistration().getPeerId()).sorted().collect(Collectors.toList());
  }

  private static DiscoverRequest discover(String s) {
    return DiscoverRequest.newBuilder().setServiceId(s).build();
  }

  @Test
  void heartbeatViaADiscoverAndWatchViaBExpiryAfterBothRestart() throws Exception {
    String prefix = "replicas" + System.nanoTime() + ":";
    RedisKeys keys = new RedisKeys(prefix);
    TestSeller seller = new TestSeller();
    TestSeller leaver = new TestSeller();

    RegistryServer a = replica(redis.uri(), prefix);
    RegistryServer b = replica(redis.uri(), prefix);
    RegistryClient viaA = RegistryClient.connect(a.target());
    RegistryClient viaB = RegistryClient.connect(b.target());
    Streams.Events watchB = new Streams.Events();
    viaB.watch(WatchRequest.newBuilder().setServiceId("m").setSendSnapshot(true).build(), watchB);
    assertEquals(PeerEvent.Kind.SNAPSHOT_DONE, watchB.next().getKind());

    HeartbeatSession session =
        viaA.startHeartbeats(
            () -> seller.signedRegistration("m"), () -> LoadReport.newBuilder().setInFlight(1).setCapacity(4).build());
    PeerEvent added = watchB.next(PeerEvent.Kind.ADDED, seller.peerId());
    assertEquals("127.0.0.1:9000", added.getPeer().getRegistration().getEndpoint());
    // Kept alive through A for more than two windows, visible at B with A's load reports.
    Thread.sleep(7_000);
    DiscoverResponse atB = viaB.discover(discover("m"));
    assertEquals(List.of(seller.peerId()), ids(atB));
    assertEquals(1, atB.getPeers(0).getLoad().getInFlight());
    assertTrue(System.currentTimeMillis() - atB.getPeers(0).getLastHeartbeatMs() < 2_500);
    assertEquals(1, session.registrations());

    // Deregistration through A reaches B's watcher.
    viaA.register(leaver.signedRegistration("m"));
    watchB.next(PeerEvent.Kind.ADDED, leaver.peerId());
    assertTrue(viaA.deregister(leaver.deregistration()).getRemoved());
    assertEquals("deregistered", watchB.next(PeerEvent.Kind.REMOVED, leaver.peerId()).getReason());
    assertEquals(List.of(seller.peerId()), ids(viaB.discover(discover("m"))));

    // The seller stops; both replicas go down before its deadline.
    session.close();
    long lastDeadline = System.currentTimeMillis() + 3_000;
    viaA.close();
    viaB.close();
    a.close();
    b.close();

    RegistryServer a2 = replica(redis.uri(), prefix);
    RegistryServer b2 = replica(redis.uri(), prefix);
    try (RegistryClient viaA2 = RegistryClient.connect(a2.target());
        RegistryClient viaB2 = RegistryClient.connect(b2.target());
        JedisPooled raw = new JedisPooled(redis.host(), redis.port())) {
      Streams.Events watchB2 = new Streams.Events();
      viaB2.watch(WatchRequest.newBuilder().setServiceId("m").build(), watchB2);
      awaitWatchers(b2, 1);
      assertTrue(System.currentTimeMillis() < lastDeadline, "restart took longer than the liveness window");
      assertEquals(List.of(seller.peerId()), ids(viaA2.discover(discover("m"))));
      PeerEvent removed = watchB2.next(PeerEvent.Kind.REMOVED, seller.peerId());
      assertEquals("expired", removed.getReason());
      // Exactly one REMOVED although both replicas prune.
      assertNull(watchB2.poll(1_000));
      assertTrue(viaA2.discover(discover("m")).getPeersList().isEmpty());
      assertTrue(viaB2.discover(discover("m")).getPeersList().isEmpty());
      assertEquals(0, raw.zcard(keys.deadlines()));
      assertEquals(0, raw.scard(keys.service("m")));
      assertFalse(raw.exists(keys.peer(seller.peerId())));
      // The anti-replay timestamp survives in Redis: the old registration cannot be replayed.
      assertTrue(raw.exists(keys.timestamp(seller.peerId())));
    } finally {
      a2.close();
      b2.close();
    }
  }

  @Test
  void redisDownAnswersUnavailable() throws Exception {
    RedisServer own = RedisServer.startPrivate();
    RegistryServer r = replica(own.uri(), "down:");
    try (RegistryClient c = RegistryClient.connect(r.target())) {
      TestSeller s = new TestSeller();
      RegisterResponse reg = c.register(s.signedRegistration("m"));
      Streams.Events watch = new Streams.Events();
      c.watch(WatchRequest.newBuilder().build(), watch);
      awaitWatchers(r, 1);

      own.close();
      // Existing watchers are ended, not left silently stale.
      Throwable end = watch.end.get(10, TimeUnit.SECONDS);
      assertStatus(end, Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE);
      assertRefused(() -> c.discover(discover("m")), Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE);
      assertRefused(() -> c.register(s.signedRegistration("m")), Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE);
      assertRefused(() -> c.deregister(s.deregistration()), Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE);
      try (Streams.Heartbeats hb = new Streams.Heartbeats(c.channel())) {
        assertRefused(
            () -> hb.ping(HeartbeatPing.newBuilder().setPeerId(reg.getPeerId()).setHeartbeatToken(reg.getHeartbeatToken()).build()),
            Status.Code.UNAVAILABLE,
            ErrorCode.STORE_UNAVAILABLE);
      }
      Streams.Events late = new Streams.Events();
      c.watch(WatchRequest.newBuilder().build(), late);
      assertStatus(late.end.get(10, TimeUnit.SECONDS), Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE);
    } finally {
      r.close();
    }
  }

  @Test
  void startFailsClearlyWithoutRedis() throws Exception {
    RedisServer own = RedisServer.startPrivate();
    String uri = own.uri();
    own.close();
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> replica(uri, "none:"));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }

  private static void awaitWatchers(RegistryServer s, int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (s.watchHub().count() != n && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, s.watchHub().count());
  }
}
