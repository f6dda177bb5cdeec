package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.crypto.envelope.Fixtures.GRACE;
import static org.openshard.crypto.envelope.Fixtures.NOT_AFTER;
import static org.openshard.crypto.envelope.Fixtures.NOT_BEFORE;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.crypto.CryptoException.Reason;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.PrivacyEnvelope;

/** KEY-9..KEY-12: rotation, grace period and erasure. */
class SellerKeyRingTest {
  private static final Duration SKEW = EnvelopeOpener.DEFAULT_MAX_CLOCK_SKEW;

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void previousKeyOpensDuringGraceAndNotAfterEviction(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope oldEnv = wire(fx.seal("sealed to the old key"));
    SellerEncryptionKey newKey = SellerEncryptionKey.generate(suite, "key-2", NOT_BEFORE, NOT_AFTER);
    fx.ring.rotate(newKey, NOW);

    assertSame(newKey, fx.ring.current());
    assertEquals(List.of(newKey, fx.sellerKey), fx.ring.activeKeys());
    // Within the grace period (and the skew) the old key still opens.
    Instant inGrace = NOW.plus(SKEW);
    assertEquals(Fixtures.query("sealed to the old key"), fx.opener.open(oldEnv, inGrace).query());
    assertEquals(0, fx.ring.evictExpired(NOW.plus(GRACE).minusMillis(1)));
    assertFalse(fx.sellerKey.isErased());

    assertEquals(1, fx.ring.evictExpired(NOW.plus(GRACE)));
    assertTrue(fx.sellerKey.isErased());
    assertEquals(List.of(newKey), fx.ring.activeKeys());
    // Even with a clock that would accept the timestamp, the erased key can no longer open it.
    assertReason(Reason.UNKNOWN_KEY, () -> fx.opener.open(oldEnv, NOW));
    assertReason(Reason.UNKNOWN_KEY, () -> fx.sellerKey.agree(newKey.publicKey()));

    // The new key works.
    VerifiedKeyAnnouncement ann = KeyAnnouncements.verify(KeyAnnouncements.sign(fx.identity, newKey), fx.sellerId, NOW);
    PrivacyEnvelope newEnv = wire(EnvelopeSealer.seal(ann, Fixtures.query("new"), NOW));
    assertEquals(Fixtures.query("new"), fx.opener.open(newEnv, NOW).query());
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void aKeyPastItsGraceIsErasedLazilyWhenAnEnvelopeNamesIt(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SellerKeyRing ring = new SellerKeyRing(fx.sellerKey, Duration.ofMinutes(1));
    EnvelopeOpener opener = new EnvelopeOpener(fx.sellerId, ring, Duration.ofMinutes(10), EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES);
    PrivacyEnvelope env = wire(fx.seal("late"));
    ring.rotate(SellerEncryptionKey.generate(suite, "key-2", NOT_BEFORE, NOT_AFTER), NOW);
    assertReason(Reason.UNKNOWN_KEY, () -> opener.open(env, NOW.plus(Duration.ofMinutes(1))));
    assertTrue(fx.sellerKey.isErased());
  }

  @Test
  void zeroGraceErasesTheOldKeyAtRotation() throws Exception {
    SellerEncryptionKey a = SellerEncryptionKey.generate(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM, "a", NOT_BEFORE, NOT_AFTER);
    SellerEncryptionKey b = SellerEncryptionKey.generate(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM, "b", NOT_BEFORE, NOT_AFTER);
    SellerKeyRing ring = new SellerKeyRing(a, Duration.ZERO);
    ring.rotate(b, NOW);
    assertTrue(a.isErased());
    assertFalse(b.isErased());
    assertEquals(List.of(b), ring.activeKeys());
  }

  @Test
  void multipleRotationsKeepOnlyKeysInsideTheirOwnGrace() throws Exception {
    CipherSuite s = CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM;
    SellerEncryptionKey a = SellerEncryptionKey.generate(s, "a", NOT_BEFORE, NOT_AFTER);
    SellerEncryptionKey b = SellerEncryptionKey.generate(s, "b", NOT_BEFORE, NOT_AFTER);
    SellerEncryptionKey c = SellerEncryptionKey.generate(s, "c", NOT_BEFORE, NOT_AFTER);
    SellerKeyRing ring = new SellerKeyRing(a, Duration.ofMinutes(10));
    ring.rotate(b, NOW);
    ring.rotate(c, NOW.plus(Duration.ofMinutes(5)));
    assertEquals(List.of(c, b, a), ring.activeKeys());
    assertEquals(1, ring.evictExpired(NOW.plus(Duration.ofMinutes(10))));
    assertTrue(a.isErased());
    assertFalse(b.isErased());
    assertEquals(1, ring.evictExpired(NOW.plus(Duration.ofMinutes(15))));
    assertTrue(b.isErased());
    assertFalse(c.isErased());
    ring.eraseAll();
    assertTrue(c.isErased());
  }

  @Test
  void rotateRefusesADuplicateKeyIdOrAnErasedKey() throws Exception {
    CipherSuite s = CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
    SellerEncryptionKey a = SellerEncryptionKey.generate(s, "a", NOT_BEFORE, NOT_AFTER);
    SellerKeyRing ring = new SellerKeyRing(a, GRACE);
    assertThrows(IllegalArgumentException.class,
        () -> ring.rotate(SellerEncryptionKey.generate(s, "a", NOT_BEFORE, NOT_AFTER), NOW));
    SellerEncryptionKey erased = SellerEncryptionKey.generate(s, "e", NOT_BEFORE, NOT_AFTER);
    erased.erase();
    assertThrows(IllegalArgumentException.class, () -> ring.rotate(erased, NOW));
    assertThrows(IllegalArgumentException.class, () -> new SellerKeyRing(erased, GRACE));
    assertThrows(IllegalArgumentException.class, () -> new SellerKeyRing(a, Duration.ofSeconds(-1)));
    assertSame(a, ring.current());
  }

  @Test
  void sellerKeyValidatesItsIdAndWindow() {
    CipherSuite s = CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
    assertReason(Reason.INVALID_ENCODING, () -> SellerEncryptionKey.generate(s, "", NOT_BEFORE, NOT_AFTER));
    assertReason(Reason.INVALID_ENCODING, () -> SellerEncryptionKey.generate(s, "a b", NOT_BEFORE, NOT_AFTER));
    assertReason(Reason.INVALID_ENCODING, () -> SellerEncryptionKey.generate(s, "k".repeat(65), NOT_BEFORE, NOT_AFTER));
    assertReason(Reason.INVALID_ENCODING, () -> SellerEncryptionKey.generate(s, "k", NOT_AFTER, NOT_AFTER));
    assertReason(Reason.INVALID_ENCODING, () -> SellerEncryptionKey.generate(s, "k", NOT_AFTER, NOT_BEFORE));
    assertReason(Reason.UNSUPPORTED,
        () -> SellerEncryptionKey.generate(CipherSuite.CIPHER_SUITE_UNSPECIFIED, "k", NOT_BEFORE, NOT_AFTER));
    assertReason(Reason.INVALID_PRIVATE_KEY, () -> SellerEncryptionKey.fromPrivateKeyBytes(
        CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM, "k", new byte[32], NOT_BEFORE, NOT_AFTER));
  }

  @Test
  void toStringNeverContainsThePrivateKey() throws Exception {
    byte[] secret = new byte[32];
    java.util.Arrays.fill(secret, (byte) 0x42);
    SellerEncryptionKey k = SellerEncryptionKey.fromPrivateKeyBytes(
        CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM, "k", secret, NOT_BEFORE, NOT_AFTER);
    assertFalse(k.toString().contains("4242424242"));
    assertFalse(k.toString().toLowerCase(java.util.Locale.ROOT).contains(org.openshard.crypto.Bytes.hex(secret)));
  }
}
