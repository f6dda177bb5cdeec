package org.openshard.credentials.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.proto.v1.AnchorEnrollment;
import org.openshard.proto.v1.EnrollAnchorRequest;

class AnchorEnrollmentsTest {
  private static final long NOW = 1_750_000_000_000L;
  private static final long SKEW = 60_000;

  private static void assertReason(Reason r, EnrollAnchorRequest req) {
    CredentialException e = assertThrows(CredentialException.class, () -> AnchorEnrollments.verify(req, NOW, SKEW));
    assertEquals(r, e.reason(), e.getMessage());
  }

  @Test
  void roundTrip() throws Exception {
    BuyerCredential c = BuyerCredential.generate();
    EnrollAnchorRequest req = AnchorEnrollments.create(c, NOW - 1000);
    assertEquals(c.anchor(), AnchorEnrollments.verify(req, NOW, SKEW));
    assertEquals(AnchorEnrollments.PROOF_BYTES, req.getProof().size());
  }

  @Test
  void proofIsBoundToTheEnrollmentBytes() throws Exception {
    BuyerCredential c = BuyerCredential.generate();
    EnrollAnchorRequest req = AnchorEnrollments.create(c, NOW);
    // Another timestamp within the window: same anchor, different bytes -> the proof fails.
    byte[] other =
        AnchorEnrollment.newBuilder().setAnchor(ByteString.copyFrom(c.anchor().toBytes())).setTimestampMs(NOW + 1).build().toByteArray();
    assertReason(Reason.PROOF_INVALID, req.toBuilder().setEnrollment(ByteString.copyFrom(other)).build());
    // Somebody else's anchor with this proof.
    BuyerCredential victim = BuyerCredential.generate();
    byte[] stolen =
        AnchorEnrollment.newBuilder().setAnchor(ByteString.copyFrom(victim.anchor().toBytes())).setTimestampMs(NOW).build().toByteArray();
    assertReason(Reason.PROOF_INVALID, req.toBuilder().setEnrollment(ByteString.copyFrom(stolen)).build());
    // Tampered s and R.
    byte[] p = req.getProof().toByteArray();
    p[64] ^= 1;
    assertReason(Reason.PROOF_INVALID, req.toBuilder().setProof(ByteString.copyFrom(p)).build());
    byte[] q = req.getProof().toByteArray();
    q[0] = (byte) (q[0] == 2 ? 3 : 2); // -R
    assertReason(Reason.PROOF_INVALID, req.toBuilder().setProof(ByteString.copyFrom(q)).build());
  }

  @Test
  void rejectsMalformedAndSkewed() throws Exception {
    BuyerCredential c = BuyerCredential.generate();
    assertReason(Reason.CLOCK_SKEW, AnchorEnrollments.create(c, NOW - SKEW - 1));
    assertReason(Reason.CLOCK_SKEW, AnchorEnrollments.create(c, NOW + SKEW + 1));
    AnchorEnrollments.verify(AnchorEnrollments.create(c, NOW + SKEW), NOW, SKEW);
    EnrollAnchorRequest req = AnchorEnrollments.create(c, NOW);
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().setProof(ByteString.copyFrom(new byte[64])).build());
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().setProof(ByteString.copyFrom(new byte[65])).build());
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().setEnrollment(ByteString.copyFrom(new byte[] {(byte) 0xff})).build());
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().clearEnrollment().build());
    byte[] noAnchor = AnchorEnrollment.newBuilder().setTimestampMs(NOW).build().toByteArray();
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().setEnrollment(ByteString.copyFrom(noAnchor)).build());
    byte[] s = req.getProof().toByteArray();
    java.util.Arrays.fill(s, 33, 65, (byte) 0xff); // s >= n
    assertReason(Reason.INVALID_ARGUMENT, req.toBuilder().setProof(ByteString.copyFrom(s)).build());
  }
}
