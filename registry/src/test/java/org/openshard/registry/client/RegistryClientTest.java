package org.openshard.registry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerListing;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.TestSeller;
import org.openshard.runtime.Errors;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.Ports;

class RegistryClientTest {
  private static final RegistryConfig FAST =
      RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(200)).missedHeartbeats(5).build();

  @Test
  void signerOutputVerifiesUnderTheRightContexts() throws Exception {
    TestSeller s = new TestSeller();
    var req = s.signedRegistration("m");
    assertEquals(
        s.peerId(),
        IdentitySignatures.recoverAddress(
            RegistrationSigner.REGISTRATION_CONTEXT, req.getRegistration().toByteArray(), req.getSignature().toByteArray()));
    var ka = s.keyAnnouncement();
    assertEquals(
        s.peerId(),
        IdentitySignatures.recoverAddress(
            RegistrationSigner.KEY_ANNOUNCEMENT_CONTEXT, ka.getAnnouncement().toByteArray(), ka.getSignature().toByteArray()));
    assertEquals(s.peerId(), KeyAnnouncement.parseFrom(ka.getAnnouncement()).getSellerId());
    var d = s.deregistration();
    assertEquals(
        s.peerId(),
        IdentitySignatures.recoverAddress(
            RegistrationSigner.DEREGISTRATION_CONTEXT, d.getDeregistration().toByteArray(), d.getSignature().toByteArray()));
    // An empty peer id is filled in.
    var filled = RegistrationSigner.sign(s.identity(), s.registration("m").clearPeerId().build());
    assertEquals(
        s.peerId(), org.openshard.proto.v1.SellerRegistration.parseFrom(filled.getRegistration()).getPeerId());
  }

  @Test
  void sessionKeepsThePeerAliveAndReRegistersAfterARegistryRestart() throws Exception {
    int port = Ports.free();
    RegistryServer first = RegistryServer.builder().listen(ListenAddress.loopback(port)).config(FAST).start();
    TestSeller seller = new TestSeller();
    AtomicInteger loads = new AtomicInteger();
    try (RegistryClient client = RegistryClient.connect("127.0.0.1:" + port)) {
      HeartbeatSession session =
          client.startHeartbeats(
              () -> seller.signedRegistration("m"),
              () -> LoadReport.newBuilder().setInFlight(loads.incrementAndGet() % 3).setCapacity(10).build());
      assertEquals(seller.peerId(), session.peerId());
      Thread.sleep(2_000); // two windows
      List<PeerListing> found = client.discoverAll(DiscoverRequest.newBuilder().setServiceId("m").build(), 5);
      assertEquals(1, found.size());
      assertTrue(loads.get() >= 5, "pings sent: " + loads.get());
      assertTrue(session.lastAck().isPresent());
      assertEquals(1, session.registrations());

      // The registry restarts empty (in-memory store): the session notices and registers again.
      first.close();
      RegistryServer second = RegistryServer.builder().listen(ListenAddress.loopback(port)).config(FAST).start();
      try {
        long deadline = System.currentTimeMillis() + 15_000;
        while (session.registrations() < 2 && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(2, session.registrations());
        assertEquals(1, client.discover(DiscoverRequest.newBuilder().setServiceId("m").build()).getPeersCount());
        session.close();
        assertTrue(client.deregister(seller.deregistration()).getRemoved());
      } finally {
        second.close();
      }
    } finally {
      first.close();
    }
  }

  @Test
  void startFailsWithTheRegistryRefusal() throws Exception {
    try (RegistryServer server = RegistryServer.builder().listen(ListenAddress.loopback(0)).start();
        RegistryClient client = RegistryClient.connect(server.target())) {
      TestSeller s = new TestSeller();
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> client.startHeartbeats(() -> s.sign(s.registration("m").setEndpoint("not an endpoint")), LoadReport::getDefaultInstance));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
      assertEquals(ErrorCode.INVALID_ARGUMENT, Errors.code(e));
      assertEquals("endpoint", Errors.detail(e).orElseThrow().getField());
    }
  }
}
