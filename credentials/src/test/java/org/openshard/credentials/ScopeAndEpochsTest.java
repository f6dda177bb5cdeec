package org.openshard.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Secp256k1;

class ScopeAndEpochsTest {
  @Test
  void scopeEncodingKnownAnswer() throws Exception {
    Scope s = Scope.of("0x1111111111111111111111111111111111111111", 480_000, 3);
    // lp(seller_id) || u64(epoch) || u32(slot), recomputed independently in Python.
    assertEquals(
        "0000002a" + "307831313131313131313131313131313131313131313131313131313131313131313131313131313131"
            + "0000000000075300" + "00000003",
        Bytes.hex(s.encode()));
    assertEquals(s, Scope.fromProto(s.toProto()));
  }

  @Test
  void scopeValidation() {
    assertThrows(CredentialException.class, () -> Scope.of("", 1, 0));
    assertThrows(CredentialException.class, () -> Scope.of(null, 1, 0));
    assertThrows(CredentialException.class, () -> Scope.of("x".repeat(Scope.MAX_SELLER_ID_BYTES + 1), 1, 0));
    assertThrows(CredentialException.class, () -> Scope.of("s", -1, 0));
    assertThrows(CredentialException.class, () -> Scope.of("s", 1, -1));
    assertThrows(
        CredentialException.class,
        () -> Scope.fromProto(org.openshard.proto.v1.NullifierScope.newBuilder().setSellerId("s").setEpoch(-5).build()));
  }

  @Test
  void scopePointsDifferPerScope() throws Exception {
    var a = org.openshard.credentials.h2c.HashToCurve.hashWithProtocolDst(Scope.of("s", 1, 0).encode());
    var b = org.openshard.credentials.h2c.HashToCurve.hashWithProtocolDst(Scope.of("s", 1, 1).encode());
    assertNotEquals(a, b);
    assertEquals(true, a.isValid());
    assertNotEquals(Secp256k1.G, a);
  }

  @Test
  void epochArithmetic() {
    NullifierEpochs e = NullifierEpochs.defaults();
    assertEquals(3600, e.epochSeconds());
    assertEquals(8, e.slotsPerEpoch());
    assertEquals(0, e.epochAt(Instant.ofEpochSecond(3599)));
    assertEquals(1, e.epochAt(Instant.ofEpochSecond(3600)));
    assertEquals(480_000, e.epochAt(Instant.ofEpochSecond(480_000L * 3600 + 1234)));
    assertEquals(Instant.ofEpochSecond(7200), e.epochStart(2));
    assertEquals(Instant.ofEpochSecond(10800), e.epochEnd(2));
    // Accepted while the verifier is in epoch 2 or 3, so kept until the end of 3 plus skew.
    assertEquals(Instant.ofEpochSecond(14400 + 30), e.replayExpiry(2, Duration.ofSeconds(30)));
    assertThrows(IllegalArgumentException.class, () -> NullifierEpochs.of(10, 8));
    assertThrows(IllegalArgumentException.class, () -> NullifierEpochs.of(3600, 0));
    assertThrows(IllegalArgumentException.class, () -> e.replayExpiry(2, Duration.ofSeconds(-1)));
    assertEquals(-1, e.epochAt(Instant.ofEpochSecond(-1)));
  }

  @Test
  void nullifierHashAndValidation() throws Exception {
    Nullifier n = Nullifier.fromPoint(Secp256k1.G);
    assertEquals(
        Bytes.hex(org.openshard.crypto.Hashes.sha256(Secp256k1.G.getEncoded(true))), n.hashHex());
    assertEquals(n, Nullifier.fromBytes(n.toBytes()));
    assertThrows(CredentialException.class, () -> Nullifier.fromBytes(Secp256k1.G.getEncoded(false)));
    assertThrows(CredentialException.class, () -> Nullifier.fromBytes(new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> Nullifier.fromPoint(Secp256k1.CURVE.getInfinity()));
  }
}
