package org.openshard.registry.anchors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.registry.GrpcAssertions.assertRefused;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.client.RegistryClient;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.RedisServerExtension;

/** EnrollAnchor / GetAnchorSet over real sockets, in memory and shared by two Redis replicas. */
class AnchorEnrollmentTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static EnrollAnchorRequest enrolment(BuyerCredential c) throws Exception {
    return AnchorEnrollments.create(c, System.currentTimeMillis());
  }

  @Test
  void enrolledAnchorsArePublishedInTheEffectiveEpoch() throws Exception {
    try (RegistryServer server = RegistryServer.builder().listen(ListenAddress.loopback(0)).start();
        RegistryClient client = RegistryClient.connect(server.target())) {
      assertRefused(() -> client.anchorSet(0), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_ANCHOR_SET);
      List<BuyerCredential> buyers = new ArrayList<>();
      long lastEpoch = 0;
      for (int i = 0; i < 5; i++) {
        BuyerCredential c = BuyerCredential.generate();
        buyers.add(c);
        EnrollAnchorResponse r = client.enrollAnchor(enrolment(c));
        assertTrue(r.getNewlyEnrolled());
        assertTrue(r.getEffectiveEpoch() > lastEpoch, "epochs increase");
        lastEpoch = r.getEffectiveEpoch();
        AnchorSet set = AnchorSet.fromProto(client.anchorSet(r.getEffectiveEpoch()));
        assertTrue(set.contains(c.anchor()), "the effective epoch contains the new anchor");
      }
      AnchorSet latest = AnchorSet.fromProto(client.anchorSet(0));
      assertEquals(lastEpoch, latest.epoch());
      for (BuyerCredential c : buyers) {
        assertTrue(latest.contains(c.anchor()));
      }
      // idempotent
      EnrollAnchorResponse again = client.enrollAnchor(enrolment(buyers.get(0)));
      assertFalse(again.getNewlyEnrolled());
      assertEquals(lastEpoch, AnchorSet.fromProto(client.anchorSet(0)).epoch(), "re-enrolment publishes nothing");
      long unpublished = lastEpoch + 100;
      assertRefused(() -> client.anchorSet(unpublished), Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_ANCHOR_SET);
    }
  }

  @Test
  void forgedAndSkewedEnrolmentsAreRefused() throws Exception {
    try (RegistryServer server = RegistryServer.builder().listen(ListenAddress.loopback(0)).start();
        RegistryClient client = RegistryClient.connect(server.target())) {
      EnrollAnchorRequest good = enrolment(BuyerCredential.generate());
      byte[] proof = good.getProof().toByteArray();
      proof[proof.length - 1] ^= 1;
      EnrollAnchorRequest forged = good.toBuilder().setProof(com.google.protobuf.ByteString.copyFrom(proof)).build();
      assertRefused(() -> client.enrollAnchor(forged), Status.Code.PERMISSION_DENIED, ErrorCode.PROOF_INVALID);
      // someone else's proof on my anchor
      EnrollAnchorRequest other = enrolment(BuyerCredential.generate());
      EnrollAnchorRequest swapped = good.toBuilder().setProof(other.getProof()).build();
      assertRefused(() -> client.enrollAnchor(swapped), Status.Code.PERMISSION_DENIED, ErrorCode.PROOF_INVALID);
      long skewMs = RegistryConfig.defaults().maxClockSkewMs();
      EnrollAnchorRequest old = AnchorEnrollments.create(BuyerCredential.generate(), System.currentTimeMillis() - 10 * skewMs);
      assertRefused(() -> client.enrollAnchor(old), Status.Code.UNAUTHENTICATED, ErrorCode.CLOCK_SKEW);
      assertRefused(
          () -> client.enrollAnchor(EnrollAnchorRequest.getDefaultInstance()),
          Status.Code.INVALID_ARGUMENT,
          ErrorCode.INVALID_ARGUMENT);
      // still serving
      assertTrue(client.enrollAnchor(good).getNewlyEnrolled());
    }
  }

  @Test
  void replicasShareAnchorSetsThroughRedis() throws Exception {
    String prefix = "anchors" + System.nanoTime() + ":";
    RegistryConfig config = RegistryConfig.builder().redisKeyPrefix(prefix).build();
    String uri = REDIS.uri().toString();
    try (RegistryServer a = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(config).redis(uri).start();
        RegistryServer b = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(config).redis(uri).start();
        RegistryClient viaA = RegistryClient.connect(a.target());
        RegistryClient viaB = RegistryClient.connect(b.target())) {
      BuyerCredential x = BuyerCredential.generate();
      BuyerCredential y = BuyerCredential.generate();
      EnrollAnchorResponse rx = viaA.enrollAnchor(enrolment(x));
      EnrollAnchorResponse ry = viaB.enrollAnchor(enrolment(y));
      assertTrue(ry.getEffectiveEpoch() > rx.getEffectiveEpoch());
      AnchorSet seenByA = AnchorSet.fromProto(viaA.anchorSet(0));
      AnchorSet seenByB = AnchorSet.fromProto(viaB.anchorSet(0));
      assertEquals(seenByA.epoch(), seenByB.epoch());
      assertArrayEquals(seenByA.digest(), seenByB.digest());
      assertTrue(seenByA.contains(x.anchor()) && seenByA.contains(y.anchor()));
      AnchorSet first = AnchorSet.fromProto(viaB.anchorSet(rx.getEffectiveEpoch()));
      assertTrue(first.contains(x.anchor()));
      assertFalse(viaA.enrollAnchor(enrolment(y)).getNewlyEnrolled(), "y is already enrolled (via B)");
    }
  }
}
