package org.openshard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.registry.GrpcAssertions.assertRefused;
import static org.openshard.registry.GrpcAssertions.assertStatus;
import static org.openshard.registry.GrpcAssertions.expectError;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GetAnchorSetRequest;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.WatchRequest;
import org.openshard.registry.client.RegistrationSigner;
import org.openshard.registry.client.RegistryClient;
import org.openshard.runtime.ListenAddress;

/** The registry over real loopback sockets, in-memory store. */
class RegistryServerTest {
  private RegistryServer server;
  private RegistryClient client;

  private void start(RegistryConfig config) throws Exception {
    server = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(config).start();
    client = RegistryClient.connect(server.target());
  }

  private void start() throws Exception {
    start(RegistryConfig.defaults());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static DiscoverRequest discover(String service) {
    return DiscoverRequest.newBuilder().setServiceId(service).build();
  }

  private static List<String> ids(DiscoverResponse r) {
    return r.getPeersList().stream().map(l -> l.getRegistration().getPeerId()).collect(Collectors.toList());
  }

  private static HeartbeatPing ping(RegisterResponse reg, long seq, LoadReport load) {
    return HeartbeatPing.newBuilder()
        .setPeerId(reg.getPeerId())
        .setHeartbeatToken(reg.getHeartbeatToken())
        .setSequence(seq)
        .setLoad(load)
        .build();
  }

  @Test
  void registerDiscoverWatchUpdateDeregister() throws Exception {
    start();
    Streams.Events watch = new Streams.Events();
    client.watch(WatchRequest.newBuilder().setServiceId("m").setSendSnapshot(true).build(), watch);
    assertEquals(PeerEvent.Kind.SNAPSHOT_DONE, watch.next().getKind());
    awaitWatchers(1);

    TestSeller seller = new TestSeller();
    RegisterRequest signed = seller.signedRegistration("m");
    long before = System.currentTimeMillis();
    RegisterResponse reg = client.register(signed);
    assertEquals(seller.peerId(), reg.getPeerId());
    assertEquals(32, reg.getHeartbeatToken().size());
    assertEquals(10_000, reg.getHeartbeatIntervalMs());
    assertTrue(reg.getNextDeadlineMs() >= before + 30_000);
    assertFalse(reg.getUpdated());

    PeerEvent added = watch.next();
    assertEquals(PeerEvent.Kind.ADDED, added.getKind());
    assertEquals(seller.peerId(), added.getPeerId());
    assertEquals(signed, added.getPeer().getSignedRegistration());
    assertEquals(0.0, added.getPeer().getScore());

    DiscoverResponse found = client.discover(discover("m"));
    assertEquals(List.of(seller.peerId()), ids(found));
    assertEquals(1, found.getTotalMatches());
    PeerListing listing = found.getPeers(0);
    // A buyer can verify the listing without trusting the registry.
    assertEquals(
        seller.peerId(),
        IdentitySignatures.recoverAddress(
            RegistrationSigner.REGISTRATION_CONTEXT,
            listing.getSignedRegistration().getRegistration().toByteArray(),
            listing.getSignedRegistration().getSignature().toByteArray()));
    assertEquals("127.0.0.1:9000", listing.getRegistration().getEndpoint());
    assertTrue(client.discover(discover("other")).getPeersList().isEmpty());

    RegisterResponse again = client.register(seller.signedRegistration("m", "n"));
    assertTrue(again.getUpdated());
    assertNotEquals(reg.getHeartbeatToken(), again.getHeartbeatToken());
    assertEquals(PeerEvent.Kind.UPDATED, watch.next().getKind());
    assertEquals(List.of(seller.peerId()), ids(client.discover(discover("n"))));
    // The old token is dead; the new one works.
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      assertEquals(7, hb.ping(ping(again, 7, LoadReport.getDefaultInstance())).getSequence());
      assertStatus(expectError(() -> hb.ping(ping(reg, 8, LoadReport.getDefaultInstance()))), Status.Code.UNAUTHENTICATED, ErrorCode.BAD_HEARTBEAT_TOKEN);
    }

    assertTrue(client.deregister(seller.deregistration()).getRemoved());
    PeerEvent removed = watch.next();
    assertEquals(PeerEvent.Kind.REMOVED, removed.getKind());
    assertEquals("deregistered", removed.getReason());
    assertFalse(removed.hasPeer());
    assertTrue(client.discover(discover("m")).getPeersList().isEmpty());
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      assertStatus(expectError(() -> hb.ping(ping(again, 1, LoadReport.getDefaultInstance()))), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_PEER);
    }
    // Deregistering again with a fresh timestamp is accepted but removes nothing.
    assertFalse(client.deregister(seller.deregistration()).getRemoved());
  }

  @Test
  void replayedAndSkewedRegistrationsAreRefused() throws Exception {
    start();
    TestSeller seller = new TestSeller();
    RegisterRequest first = seller.signedRegistration("m");
    RegisterRequest second = seller.signedRegistration("m");
    client.register(first);
    client.register(second);
    assertRefused(() -> client.register(first), Status.Code.UNAUTHENTICATED, ErrorCode.STALE_MESSAGE);
    assertRefused(() -> client.register(second), Status.Code.UNAUTHENTICATED, ErrorCode.STALE_MESSAGE);
    RegisterRequest skewed = seller.sign(seller.registration("m").setTimestampMs(System.currentTimeMillis() + 120_000));
    assertEquals("timestamp_ms", assertRefused(() -> client.register(skewed), Status.Code.UNAUTHENTICATED, ErrorCode.CLOCK_SKEW).getField());
    // A replayed deregistration is stale too.
    var dereg = seller.deregistration();
    client.deregister(dereg);
    assertRefused(() -> client.deregister(dereg), Status.Code.UNAUTHENTICATED, ErrorCode.STALE_MESSAGE);
    assertRefused(
        () -> client.deregister(RegistrationSigner.signDeregistration(seller.identity(), System.currentTimeMillis() - 300_000)),
        Status.Code.UNAUTHENTICATED,
        ErrorCode.CLOCK_SKEW);
  }

  @Test
  void forgedUnsignedAndOverwriteAttemptsAreRefused() throws Exception {
    start();
    TestSeller victim = new TestSeller("victim.example:443");
    TestSeller attacker = new TestSeller("evil.example:443");
    client.register(victim.signedRegistration("m"));

    // Unsigned.
    RegisterRequest unsigned = victim.signedRegistration("m").toBuilder().clearSignature().build();
    assertRefused(() -> client.register(unsigned), Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID);
    // The victim's registration (with its genuine signed key announcement, public via Discover)
    // pointing at the attacker's endpoint, signed by the attacker.
    byte[] bytes = victim.registration("m").setEndpoint("evil.example:443").build().toByteArray();
    RegisterRequest forged =
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(bytes))
            .setSignature(ByteString.copyFrom(IdentitySignatures.sign(attacker.identity(), RegistrationSigner.REGISTRATION_CONTEXT, bytes)))
            .build();
    assertRefused(() -> client.register(forged), Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID);
    // Tampering with signed bytes breaks the signature.
    RegisterRequest genuine = victim.signedRegistration("m");
    RegisterRequest tampered =
        genuine.toBuilder()
            .setRegistration(
                ByteString.copyFrom(
                    victim.registration("m").setEndpoint("evil.example:443").build().toByteArray()))
            .build();
    assertRefused(() -> client.register(tampered), Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID);
    // A deregistration of the victim signed by the attacker.
    byte[] d =
        org.openshard.proto.v1.Deregistration.newBuilder().setPeerId(victim.peerId()).setTimestampMs(TestSeller.nextTimestamp()).build().toByteArray();
    var forgedDereg =
        org.openshard.proto.v1.DeregisterRequest.newBuilder()
            .setDeregistration(ByteString.copyFrom(d))
            .setSignature(ByteString.copyFrom(IdentitySignatures.sign(attacker.identity(), RegistrationSigner.DEREGISTRATION_CONTEXT, d)))
            .build();
    assertRefused(() -> client.deregister(forgedDereg), Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID);
    // The attacker may register itself; the victim's listing is untouched.
    client.register(attacker.signedRegistration("m"));
    DiscoverResponse r = client.discover(discover("m"));
    assertEquals(2, r.getTotalMatches());
    PeerListing v =
        r.getPeersList().stream().filter(l -> l.getRegistration().getPeerId().equals(victim.peerId())).findFirst().orElseThrow();
    assertEquals("victim.example:443", v.getRegistration().getEndpoint());
  }

  @Test
  void heartbeatsForUnknownPeersOrBadTokensEndTheStream() throws Exception {
    start();
    TestSeller stranger = new TestSeller();
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      HeartbeatPing p =
          HeartbeatPing.newBuilder().setPeerId(stranger.peerId()).setHeartbeatToken(ByteString.copyFrom(new byte[32])).build();
      org.openshard.proto.v1.ErrorDetail d = assertStatus(expectError(() -> hb.ping(p)), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_PEER);
      assertEquals("peer_id", d.getField());
    }
    RegisterResponse reg = client.register(new TestSeller().signedRegistration("m"));
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      HeartbeatPing shortToken = ping(reg, 1, LoadReport.getDefaultInstance()).toBuilder().setHeartbeatToken(ByteString.copyFrom(new byte[5])).build();
      assertStatus(expectError(() -> hb.ping(shortToken)), Status.Code.UNAUTHENTICATED, ErrorCode.BAD_HEARTBEAT_TOKEN);
    }
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      HeartbeatPing garbageId = ping(reg, 1, LoadReport.getDefaultInstance()).toBuilder().setPeerId("not a peer").build();
      assertStatus(expectError(() -> hb.ping(garbageId)), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_PEER);
    }
  }

  @Test
  void heartbeatAckCarriesDeadlineIntervalAndHealth() throws Exception {
    start(RegistryConfig.builder().heartbeatInterval(Duration.ofSeconds(2)).missedHeartbeats(4).build());
    RegisterResponse reg = client.register(new TestSeller().signedRegistration("m"));
    assertEquals(2_000, reg.getHeartbeatIntervalMs());
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      long before = System.currentTimeMillis();
      LoadReport busy = LoadReport.newBuilder().setInFlight(95).setCapacity(100).setErrorRate(0.5).setRecentRequests(10).build();
      HeartbeatAck ack = hb.ping(ping(reg, 41, busy));
      assertEquals(41, ack.getSequence());
      assertEquals(2_000, ack.getIntervalMs());
      assertTrue(ack.getNextDeadlineMs() >= before + 8_000 && ack.getNextDeadlineMs() <= System.currentTimeMillis() + 8_000);
      assertEquals(0.75 * 0.75, ack.getHealth(), 1e-9);
      // Garbage load values are clamped, pessimistically.
      LoadReport nan = LoadReport.newBuilder().setErrorRate(Double.NaN).setRecentRequests(100).build();
      assertEquals(0.0, hb.ping(ping(reg, 42, nan)).getHealth(), 1e-12);
      PeerListing l = client.discover(discover("m")).getPeers(0);
      assertEquals(1.0, l.getLoad().getErrorRate());
      assertEquals(0.0, l.getHealth(), 1e-9);
      assertTrue(client.discover(DiscoverRequest.newBuilder().setServiceId("m").setMinHealth(0.1).build()).getPeersList().isEmpty());
    }
  }

  @Test
  void peersExpireByDeadlineNotByDroppedStreams() throws Exception {
    // Window 1.2 s: wide enough for a noisy shared machine, short enough for a unit test.
    start(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(300)).missedHeartbeats(4).build());
    Streams.Events watch = new Streams.Events();
    client.watch(WatchRequest.newBuilder().setServiceId("m").build(), watch);
    awaitWatchers(1);
    TestSeller seller = new TestSeller();
    RegisterResponse reg = client.register(seller.signedRegistration("m"));
    assertEquals(PeerEvent.Kind.ADDED, watch.next().getKind());
    Streams.Heartbeats hb = new Streams.Heartbeats(client.channel());
    long t0 = System.currentTimeMillis();
    long lastAckDeadline = 0;
    for (int i = 1; System.currentTimeMillis() - t0 < 2_600; i++) {
      lastAckDeadline = hb.ping(ping(reg, i, LoadReport.getDefaultInstance())).getNextDeadlineMs();
      Thread.sleep(150);
    }
    // Kept alive for more than twice the window.
    assertEquals(List.of(seller.peerId()), ids(client.discover(discover("m"))));
    hb.cancel();
    // The dropped stream alone does not remove the peer ...
    assertTrue(System.currentTimeMillis() < lastAckDeadline - 50, "test machine too slow to observe the window");
    assertEquals(List.of(seller.peerId()), ids(client.discover(discover("m"))));
    assertNull(watch.poll(0));
    // ... the deadline does.
    PeerEvent removed = watch.next(PeerEvent.Kind.REMOVED, seller.peerId());
    assertEquals("expired", removed.getReason());
    assertTrue(System.currentTimeMillis() >= lastAckDeadline);
    assertTrue(client.discover(discover("m")).getPeersList().isEmpty());
    try (Streams.Heartbeats again = new Streams.Heartbeats(client.channel())) {
      assertStatus(expectError(() -> again.ping(ping(reg, 99, LoadReport.getDefaultInstance()))), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_PEER);
    }
  }

  @Test
  void watchFiltersByServiceAndSnapshotsLivePeers() throws Exception {
    start();
    TestSeller a = new TestSeller();
    TestSeller b = new TestSeller();
    client.register(a.signedRegistration("m"));
    Streams.Events onX = new Streams.Events();
    Streams.Events onAll = new Streams.Events();
    client.watch(WatchRequest.newBuilder().setServiceId("x").setSendSnapshot(true).build(), onX);
    client.watch(WatchRequest.newBuilder().setSendSnapshot(true).build(), onAll);
    assertEquals(PeerEvent.Kind.SNAPSHOT_DONE, onX.next().getKind());
    PeerEvent snap = onAll.next();
    assertEquals(PeerEvent.Kind.ADDED, snap.getKind());
    assertEquals(a.peerId(), snap.getPeerId());
    assertEquals(PeerEvent.Kind.SNAPSHOT_DONE, onAll.next().getKind());
    client.register(b.signedRegistration("y"));
    assertEquals(b.peerId(), onAll.next(PeerEvent.Kind.ADDED, null).getPeerId());
    client.register(b.signedRegistration("x"));
    PeerEvent upd = onX.next();
    assertEquals(PeerEvent.Kind.UPDATED, upd.getKind());
    assertEquals(b.peerId(), upd.getPeerId());
    // "y" watchers would get the UPDATED that withdrew "y"; the "x" watcher never saw a's events.
    assertNull(onX.poll(200));
    assertRefused(
        () -> RegistryGrpc.newBlockingStub(client.channel()).watch(WatchRequest.newBuilder().setServiceId("bad id").build()).hasNext(),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void slowWatchConsumerIsDroppedAndCancelledWatchersAreReleased() throws Exception {
    start(RegistryConfig.builder().watchBufferEvents(8).build());
    TestSeller s = new TestSeller();
    client.register(s.signedRegistration("m"));
    var peer = server.core().snapshot("m").get(0);

    // A consumer that reads one event and then nothing.
    Streams.Events slow = new Streams.Events();
    io.grpc.stub.ClientCallStreamObserver<?>[] call = new io.grpc.stub.ClientCallStreamObserver<?>[1];
    RegistryGrpc.newStub(client.channel())
        .watch(
            WatchRequest.newBuilder().setServiceId("m").build(),
            new io.grpc.stub.ClientResponseObserver<WatchRequest, PeerEvent>() {
              @Override
              public void beforeStart(io.grpc.stub.ClientCallStreamObserver<WatchRequest> rs) {
                call[0] = rs;
                rs.disableAutoRequestWithInitial(1);
              }

              @Override
              public void onNext(PeerEvent value) {
                slow.onNext(value);
              }

              @Override
              public void onError(Throwable t) {
                slow.onError(t);
              }

              @Override
              public void onCompleted() {
                slow.onCompleted();
              }
            });
    awaitWatchers(1);
    for (int i = 0; i < 20_000 && server.watchHub().count() > 0; i++) {
      server.watchHub().onEvent(org.openshard.registry.store.StoreEvent.updated(peer, List.of("m")));
    }
    assertEquals(0, server.watchHub().count(), "the slow watcher should have been dropped");
    call[0].request(Integer.MAX_VALUE);
    Throwable end = slow.end.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertStatus(end, Status.Code.RESOURCE_EXHAUSTED, ErrorCode.LIMIT_EXCEEDED);

    // A client that cancels is released at once.
    Streams.Events quitter = new Streams.Events();
    RegistryClient.Watch w = client.watch(WatchRequest.newBuilder().setServiceId("m").build(), quitter);
    awaitWatchers(1);
    w.close();
    awaitWatchers(0);
  }

  @Test
  void healthServiceReportsServing() throws Exception {
    start();
    HealthCheckResponse h =
        HealthGrpc.newBlockingStub(client.channel()).check(HealthCheckRequest.newBuilder().setService("openshard.v1.Registry").build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, h.getStatus());
  }

  @Test
  void metricsAreServed() throws Exception {
    server =
        RegistryServer.builder().listen(ListenAddress.loopback(0)).metrics(ListenAddress.loopback(0)).start();
    client = RegistryClient.connect(server.target());
    RegisterResponse reg = client.register(new TestSeller().signedRegistration("m"));
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      hb.ping(ping(reg, 1, LoadReport.getDefaultInstance()));
      hb.ping(ping(reg, 2, LoadReport.getDefaultInstance()));
    }
    client.discover(discover("m"));
    expectError(() -> client.register(RegisterRequest.newBuilder().setRegistration(ByteString.copyFromUtf8("x")).build()));
    Streams.Events watch = new Streams.Events();
    client.watch(WatchRequest.newBuilder().build(), watch);
    awaitWatchers(1);
    var http = java.net.http.HttpClient.newHttpClient();
    String body =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertTrue(body.contains("openshard_registry_heartbeats_total 2.0"), body);
    assertTrue(body.contains("openshard_registry_peers{state=\"live\"} 1.0"), body);
    assertTrue(body.contains("openshard_registry_peers{state=\"expired\"} 0.0"), body);
    assertTrue(body.contains("openshard_registry_rejections_total{reason=\"SIGNATURE_INVALID\"} 1.0"), body);
    assertTrue(body.contains("openshard_registry_registrations_total{result=\"added\"} 1.0"), body);
    assertTrue(body.contains("openshard_registry_discover_seconds_count 1"), body);
    assertTrue(body.contains("openshard_registry_watchers 1.0"), body);
  }

  private void awaitWatchers(int n) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (server.watchHub().count() != n && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, server.watchHub().count());
  }
}
