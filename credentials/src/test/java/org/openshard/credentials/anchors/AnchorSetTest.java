package org.openshard.credentials.anchors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.Fixtures;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Secp256k1;

class AnchorSetTest {
  private static Anchor mulG(int k) {
    return Anchor.fromPoint(Secp256k1.multiplyBase(BigInteger.valueOf(k)));
  }

  @Test
  void digestKnownAnswer() throws Exception {
    // {G, 2G, 3G} at epoch 5; digest recomputed independently in Python from the documented encoding.
    AnchorSet s = AnchorSet.of(5, List.of(mulG(3), mulG(1), mulG(2)), 0);
    assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", Bytes.hex(s.anchor(0).toBytes()));
    assertEquals("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5", Bytes.hex(s.anchor(1).toBytes()));
    assertEquals("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", Bytes.hex(s.anchor(2).toBytes()));
    assertEquals("5f693fb593afbef92da6f7a2a7d0573dd32fca874f089f512992f6d888385428", Bytes.hex(s.digest()));
  }

  @Test
  void sortedUniqueAndProtoRoundTrip() throws Exception {
    Fixtures f = Fixtures.population(50, 3);
    AnchorSet s = f.set;
    for (int i = 1; i < s.size(); i++) {
      assertTrue(s.anchor(i - 1).compareTo(s.anchor(i)) < 0);
    }
    AnchorSet back = AnchorSet.fromProto(s.toProto());
    assertArrayEquals(s.digest(), back.digest());
    assertEquals(s.anchors(), back.anchors());
    assertEquals(s.publishedAtMs(), back.publishedAtMs());
    for (int i = 0; i < s.size(); i++) {
      assertEquals(i, s.indexOf(s.anchor(i)));
    }
    assertEquals(-1, s.indexOf(mulG(12345)));
    // Order of input does not matter.
    List<Anchor> shuffled = new ArrayList<>(s.anchors());
    Collections.shuffle(shuffled);
    assertArrayEquals(s.digest(), AnchorSet.of(3, shuffled, 0).digest());
    // The epoch is committed.
    assertTrue(!java.util.Arrays.equals(s.digest(), AnchorSet.of(4, shuffled, 0).digest()));
  }

  @Test
  void rejectsBadSets() throws Exception {
    AnchorSet s = AnchorSet.of(2, List.of(mulG(1), mulG(2), mulG(3)), 0);
    var proto = s.toProto();
    CredentialException dup =
        assertThrows(CredentialException.class, () -> AnchorSet.of(2, List.of(mulG(1), mulG(1)), 0));
    assertEquals(Reason.INVALID_ARGUMENT, dup.reason());
    assertThrows(CredentialException.class, () -> AnchorSet.of(0, List.of(mulG(1)), 0));
    // Unsorted on the wire.
    var unsorted = proto.toBuilder().setAnchors(0, proto.getAnchors(1)).setAnchors(1, proto.getAnchors(0)).build();
    assertThrows(CredentialException.class, () -> AnchorSet.fromProto(unsorted));
    // Duplicate on the wire.
    var duplicated = proto.toBuilder().setAnchors(1, proto.getAnchors(0)).build();
    assertThrows(CredentialException.class, () -> AnchorSet.fromProto(duplicated));
    // Wrong digest.
    byte[] d = s.digest();
    d[31] ^= 1;
    assertThrows(CredentialException.class, () -> AnchorSet.fromProto(proto.toBuilder().setDigest(ByteString.copyFrom(d)).build()));
    // Invalid point (x = 7 is not on the curve) and wrong length.
    byte[] bad = new byte[33];
    bad[0] = 2;
    bad[32] = 7;
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () -> AnchorSet.fromProto(proto.toBuilder().setAnchors(2, ByteString.copyFrom(bad)).build()));
    assertEquals("anchors.2", e.field());
    assertThrows(
        CredentialException.class,
        () -> AnchorSet.fromProto(proto.toBuilder().setAnchors(2, ByteString.copyFrom(mulG(3).point().getEncoded(false))).build()));
    assertThrows(CredentialException.class, () -> AnchorSet.fromProto(proto.toBuilder().setEpoch(0).build()));
  }

  @Test
  void sizeCap() {
    List<Anchor> tooMany = new ArrayList<>(Collections.nCopies(AnchorSet.MAX_ANCHORS + 1, mulG(1)));
    CredentialException e = assertThrows(CredentialException.class, () -> AnchorSet.of(1, tooMany, 0));
    assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
    var b = org.openshard.proto.v1.AnchorSet.newBuilder().setEpoch(1);
    ByteString g = ByteString.copyFrom(mulG(1).toBytes());
    for (int i = 0; i <= AnchorSet.MAX_ANCHORS; i++) {
      b.addAnchors(g);
    }
    assertEquals(Reason.LIMIT_EXCEEDED, assertThrows(CredentialException.class, () -> AnchorSet.fromProto(b.build())).reason());
  }

  @Test
  void trustedSetsKeepTheNewest() throws Exception {
    TrustedAnchorSets t = new TrustedAnchorSets(2);
    for (long e = 1; e <= 4; e++) {
      t.add(AnchorSet.of(e, List.of(mulG((int) e)), 0));
    }
    assertTrue(t.byEpoch(1).isEmpty());
    assertTrue(t.byEpoch(2).isEmpty());
    assertTrue(t.byEpoch(3).isPresent());
    assertEquals(4, t.latest().orElseThrow().epoch());
  }
}
