package org.openshard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.registry.GrpcAssertions.expectError;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.client.RegistryClient;
import org.openshard.runtime.Errors;
import org.openshard.runtime.ListenAddress;

/** A stream of hostile input, then proof that the registry still serves valid requests. */
class GarbageInputTest {
  private RegistryServer server;
  private RegistryClient client;
  private final SplittableRandom random = new SplittableRandom(20_240_601L);

  @BeforeEach
  void start() throws Exception {
    server = RegistryServer.builder().listen(ListenAddress.loopback(0)).start();
    client = RegistryClient.connect(server.target());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private byte[] randomBytes(int max) {
    byte[] b = new byte[random.nextInt(max + 1)];
    random.nextBytes(b);
    return b;
  }

  /** Every refusal is a typed client error, never INTERNAL/UNKNOWN and never an acceptance. */
  private static void assertRefusedCleanly(StatusRuntimeException e) {
    Status.Code c = e.getStatus().getCode();
    assertNotEquals(Status.Code.INTERNAL, c, e.toString());
    assertNotEquals(Status.Code.UNKNOWN, c, e.toString());
    assertNotEquals(Status.Code.UNAVAILABLE, c, e.toString());
    if (c != Status.Code.RESOURCE_EXHAUSTED) { // transport-level size limit carries no detail
      assertTrue(Errors.detail(e).isPresent(), "no ErrorDetail: " + e);
    }
  }

  private List<RegisterRequest> garbageRegistrations() {
    TestSeller s = new TestSeller();
    List<RegisterRequest> out = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      out.add(
          RegisterRequest.newBuilder()
              .setRegistration(ByteString.copyFrom(randomBytes(300)))
              .setSignature(ByteString.copyFrom(randomBytes(70)))
              .build());
    }
    // Valid registrations with one byte flipped.
    for (int i = 0; i < 100; i++) {
      byte[] reg = s.signedRegistration("m").getRegistration().toByteArray();
      reg[random.nextInt(reg.length)] ^= (byte) (1 + random.nextInt(255));
      out.add(s.signedRegistration("m").toBuilder().setRegistration(ByteString.copyFrom(reg)).build());
    }
    // Wrong signatures: random 65 bytes, another key's, another message's.
    for (int i = 0; i < 20; i++) {
      out.add(s.signedRegistration("m").toBuilder().setSignature(ByteString.copyFrom(randomBytes65())).build());
    }
    out.add(s.signedRegistration("m").toBuilder().setSignature(new TestSeller().signedRegistration("m").getSignature()).build());
    // Huge fields.
    out.add(s.sign(s.registration("m").setEndpoint("h".repeat(60_000) + ":1")));
    out.add(s.sign(s.registration("m").addOfferings(TestSeller.offering("x", 1, 1, "m").toBuilder().setUpstreamModel("u".repeat(50_000)).build())));
    out.add(
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(new byte[100_000]))
            .setSignature(ByteString.copyFrom(new byte[65]))
            .build());
    out.add(
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(new byte[1_000_000]))
            .setSignature(ByteString.copyFrom(new byte[65]))
            .build());
    // Bad endpoints.
    for (String ep : List.of("", "http://x:1", "x", "x:0", "[::1:1", "a b:1", "x:99999", "\u0000:1", "x:1/y")) {
      out.add(s.sign(s.registration("m").setEndpoint(ep)));
    }
    // Absurd prices and counts.
    out.add(s.sign(s.registration().clearOfferings().addOfferings(
        TestSeller.offering("a", 1, 1, "m").toBuilder().setPricing(Pricing.newBuilder().setInputPerMillion(-1L).setOutputPerMillion(-1L)).build())));
    out.add(s.sign(s.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1_000_000_000_000_001L, 0, "m"))));
    SellerRegistration.Builder many = s.registration().clearOfferings();
    for (int i = 0; i < 1000; i++) {
      many.addOfferings(Offering.newBuilder().setOfferingId("o" + i));
    }
    out.add(s.sign(many));
    return out;
  }

  private byte[] randomBytes65() {
    byte[] b = new byte[65];
    random.nextBytes(b);
    b[64] = (byte) (27 + random.nextInt(2));
    return b;
  }

  @Test
  void garbageIsRefusedAndTheRegistryKeepsServing() throws Exception {
    int refused = 0;
    for (RegisterRequest r : garbageRegistrations()) {
      StatusRuntimeException e = expectError(() -> client.register(r));
      assertRefusedCleanly(e);
      refused++;
    }
    assertTrue(refused > 300);

    // Garbage heartbeats, each on its own stream (a refused ping ends the stream).
    TestSeller live = new TestSeller();
    RegisterResponse reg = client.register(live.signedRegistration("m"));
    List<HeartbeatPing> pings = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      pings.add(
          HeartbeatPing.newBuilder()
              .setPeerId(new String(randomBytes(50), java.nio.charset.StandardCharsets.ISO_8859_1))
              .setHeartbeatToken(ByteString.copyFrom(randomBytes(40)))
              .build());
    }
    pings.add(HeartbeatPing.newBuilder().setPeerId(reg.getPeerId()).setHeartbeatToken(ByteString.copyFrom(randomBytes65(), 0, 32)).build());
    pings.add(HeartbeatPing.getDefaultInstance());
    for (HeartbeatPing p : pings) {
      try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
        assertRefusedCleanly(expectError(() -> hb.ping(p)));
      }
    }
    // Garbage load values from a legitimate peer are clamped, not fatal.
    try (Streams.Heartbeats hb = new Streams.Heartbeats(client.channel())) {
      for (double bad : new double[] {Double.NaN, -5, 7, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}) {
        LoadReport l = LoadReport.newBuilder().setErrorRate(bad).setInFlight(-1).setCapacity(-1).setLatencyP50Ms(-1).setRecentRequests(-1).build();
        double h =
            hb.ping(HeartbeatPing.newBuilder().setPeerId(reg.getPeerId()).setHeartbeatToken(reg.getHeartbeatToken()).setLoad(l).build())
                .getHealth();
        assertTrue(h >= 0.0 && h <= 1.0, "health " + h);
      }
    }
    // Garbage discover queries.
    for (int i = 0; i < 50; i++) {
      DiscoverRequest d =
          DiscoverRequest.newBuilder()
              .setServiceId(new String(randomBytes(20), java.nio.charset.StandardCharsets.ISO_8859_1))
              .setPageToken(new String(randomBytes(40), java.nio.charset.StandardCharsets.ISO_8859_1))
              .setMinHealth(random.nextDouble() * 4 - 2)
              .build();
      try {
        client.discover(d);
      } catch (StatusRuntimeException e) {
        assertRefusedCleanly(e);
      }
    }

    // Still serving valid requests.
    TestSeller fresh = new TestSeller();
    client.register(fresh.signedRegistration("m"));
    List<String> ids = new ArrayList<>();
    client.discover(DiscoverRequest.newBuilder().setServiceId("m").build()).getPeersList().forEach(l -> ids.add(l.getRegistration().getPeerId()));
    ids.sort(null);
    List<String> expected = new ArrayList<>(List.of(live.peerId(), fresh.peerId()));
    expected.sort(null);
    assertEquals(expected, ids);
  }
}
