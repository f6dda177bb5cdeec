package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.flipBit;
import static org.openshard.crypto.envelope.Fixtures.reasonOf;
import static org.openshard.crypto.envelope.Fixtures.wire;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.crypto.CryptoException.Reason;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.PrivacyEnvelope;

/** Every change to a received envelope fails with a typed error (ENV-13). */
class EnvelopeTamperTest {

  private static PrivacyEnvelope withHeader(PrivacyEnvelope env, UnaryOperator<EnvelopeHeader.Builder> change) {
    return env.toBuilder().setHeader(change.apply(env.getHeader().toBuilder()).build()).build();
  }

  private static void assertEveryBitFlipFails(
      Fixtures fx, byte[] field, java.util.function.Function<byte[], PrivacyEnvelope> rebuild, Set<Reason> allowed) {
    for (int bit = 0; bit < field.length * 8; bit++) {
      PrivacyEnvelope tampered = rebuild.apply(flipBit(field, bit));
      Reason r = reasonOf(() -> fx.opener.open(tampered, NOW));
      assertTrue(allowed.contains(r), "bit " + bit + " gave " + r + ", expected one of " + allowed);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void flippedBitsInTheCiphertextsAndSessionIdFailAuthentication(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("tamper me"));
    Set<Reason> decryption = EnumSet.of(Reason.DECRYPTION_FAILED);

    assertEveryBitFlipFails(fx, env.getEncryptedSessionKey().toByteArray(),
        b -> env.toBuilder().setEncryptedSessionKey(ByteString.copyFrom(b)).build(), decryption);
    assertEveryBitFlipFails(fx, env.getEncryptedQuery().toByteArray(),
        b -> env.toBuilder().setEncryptedQuery(ByteString.copyFrom(b)).build(), decryption);
    assertEveryBitFlipFails(fx, env.getHeader().getSessionId().toByteArray(),
        b -> withHeader(env, h -> h.setSessionId(ByteString.copyFrom(b))), decryption);
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void flippedBitsInTheEphemeralKeyAreInvalidOrFailAuthentication(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("tamper me"));
    assertEveryBitFlipFails(fx, env.getEphemeralPublicKey().toByteArray(),
        b -> env.toBuilder().setEphemeralPublicKey(ByteString.copyFrom(b)).build(),
        EnumSet.of(Reason.INVALID_PUBLIC_KEY, Reason.DECRYPTION_FAILED));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void flippedBitsInEveryHeaderFieldFailWithTheMatchingReason(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("tamper me"));
    EnvelopeHeader h = env.getHeader();

    for (int bit = 0; bit < 32; bit++) {
      int v = h.getProtocolVersion() ^ (1 << bit);
      assertReason(Reason.UNSUPPORTED, () -> fx.opener.open(withHeader(env, b -> b.setProtocolVersion(v)), NOW));
      int s = h.getCipherSuiteValue() ^ (1 << bit);
      assertReason(Reason.UNSUPPORTED, () -> fx.opener.open(withHeader(env, b -> b.setCipherSuiteValue(s)), NOW));
    }
    byte[] sellerId = h.getSellerIdBytes().toByteArray();
    for (int i = 0; i < sellerId.length; i++) {
      for (int bit = 0; bit < 7; bit++) {
        byte[] t = flipBit(sellerId, i * 8 + bit);
        assertReason(Reason.UNKNOWN_KEY,
            () -> fx.opener.open(withHeader(env, b -> b.setSellerIdBytes(ByteString.copyFrom(t))), NOW));
      }
    }
    byte[] keyId = h.getSellerKeyIdBytes().toByteArray();
    for (int i = 0; i < keyId.length; i++) {
      for (int bit = 0; bit < 7; bit++) {
        byte[] t = flipBit(keyId, i * 8 + bit);
        assertReason(Reason.UNKNOWN_KEY,
            () -> fx.opener.open(withHeader(env, b -> b.setSellerKeyIdBytes(ByteString.copyFrom(t))), NOW));
      }
    }
    Set<Reason> timestampReasons =
        EnumSet.of(Reason.DECRYPTION_FAILED, Reason.CLOCK_SKEW, Reason.KEY_EXPIRED, Reason.INVALID_ENCODING);
    for (int bit = 0; bit < 64; bit++) {
      long ts = h.getTimestampMs() ^ (1L << bit);
      Reason r = reasonOf(() -> fx.opener.open(withHeader(env, b -> b.setTimestampMs(ts)), NOW));
      assertTrue(timestampReasons.contains(r), "timestamp bit " + bit + " gave " + r);
      if (bit <= 15) { // changes of at most 2^15 ms stay inside the key window and the skew
        assertEquals(Reason.DECRYPTION_FAILED, r, "a small timestamp change must fail authentication");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void fieldsSwappedBetweenTwoEnvelopesFailAuthentication(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope a = wire(fx.seal("first"));
    PrivacyEnvelope b = wire(fx.seal("first"));
    Reason d = Reason.DECRYPTION_FAILED;
    assertReason(d, () -> fx.opener.open(a.toBuilder().setEncryptedSessionKey(b.getEncryptedSessionKey()).build(), NOW));
    assertReason(d, () -> fx.opener.open(a.toBuilder().setEncryptedQuery(b.getEncryptedQuery()).build(), NOW));
    assertReason(d, () -> fx.opener.open(a.toBuilder().setEphemeralPublicKey(b.getEphemeralPublicKey()).build(), NOW));
    assertReason(d, () -> fx.opener.open(a.toBuilder().setHeader(b.getHeader()).build(), NOW));
    assertReason(d, () -> fx.opener.open(withHeader(a, h -> h.setSessionId(b.getHeader().getSessionId())), NOW));
    // b's key material with a's query: the session key opens, the query does not.
    assertReason(d, () -> fx.opener.open(b.toBuilder().setEncryptedQuery(a.getEncryptedQuery()).build(), NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void wrongSellerKeyUnknownKeyIdAndOtherSellerAreRefused(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("for fx"));

    // Same key id and suite, different private key.
    SellerKeyRing impostorRing =
        new SellerKeyRing(SellerEncryptionKey.generate(suite, "key-1", Fixtures.NOT_BEFORE, Fixtures.NOT_AFTER), Fixtures.GRACE);
    assertReason(Reason.DECRYPTION_FAILED, () -> new EnvelopeOpener(fx.sellerId, impostorRing).open(env, NOW));

    // Same key id, other suite.
    CipherSuite other = suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM
        ? CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM
        : CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
    SellerKeyRing otherSuiteRing =
        new SellerKeyRing(SellerEncryptionKey.generate(other, "key-1", Fixtures.NOT_BEFORE, Fixtures.NOT_AFTER), Fixtures.GRACE);
    assertReason(Reason.UNKNOWN_KEY, () -> new EnvelopeOpener(fx.sellerId, otherSuiteRing).open(env, NOW));

    // Unknown key id.
    SellerKeyRing otherIdRing =
        new SellerKeyRing(SellerEncryptionKey.generate(suite, "key-2", Fixtures.NOT_BEFORE, Fixtures.NOT_AFTER), Fixtures.GRACE);
    assertReason(Reason.UNKNOWN_KEY, () -> new EnvelopeOpener(fx.sellerId, otherIdRing).open(env, NOW));

    // Addressed to another seller.
    Fixtures other2 = new Fixtures(suite);
    assertReason(Reason.UNKNOWN_KEY, () -> other2.opener.open(env, NOW));

    // The right ring after every key was erased.
    fx.ring.eraseAll();
    assertReason(Reason.UNKNOWN_KEY, () -> fx.opener.open(env, NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void clockSkewAndKeyWindowAreEnforced(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("timely"));
    Duration skew = EnvelopeOpener.DEFAULT_MAX_CLOCK_SKEW;
    fx.opener.open(wire(fx.seal("timely")), NOW.plus(skew));
    assertReason(Reason.CLOCK_SKEW, () -> fx.opener.open(env, NOW.plus(skew).plusMillis(1)));
    assertReason(Reason.CLOCK_SKEW, () -> fx.opener.open(env, NOW.minus(skew).minusMillis(1)));

    // The seller holds the same private key with a window that ends before the envelope's timestamp.
    byte[] secret = SecureRandoms.bytes(32);
    secret[0] &= 0x7f; // a valid secp256k1 scalar as well
    SellerEncryptionKey announced =
        SellerEncryptionKey.fromPrivateKeyBytes(suite, "k", secret, Fixtures.NOT_BEFORE, Fixtures.NOT_AFTER);
    SellerEncryptionKey shortened =
        SellerEncryptionKey.fromPrivateKeyBytes(suite, "k", secret, Fixtures.NOT_BEFORE, NOW.minusSeconds(1));
    VerifiedKeyAnnouncement ann = KeyAnnouncements.verify(KeyAnnouncements.sign(fx.identity, announced), fx.sellerId, NOW);
    PrivacyEnvelope late = wire(EnvelopeSealer.seal(ann, Fixtures.query("late"), NOW));
    EnvelopeOpener shortOpener = new EnvelopeOpener(fx.sellerId, new SellerKeyRing(shortened, Fixtures.GRACE));
    assertReason(Reason.KEY_EXPIRED, () -> shortOpener.open(late, NOW));
    new EnvelopeOpener(fx.sellerId, new SellerKeyRing(announced, Fixtures.GRACE)).open(late, NOW);
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void malformedSizesAreRefusedBeforeAnyKeyIsUsed(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("sizes"));
    Reason enc = Reason.INVALID_ENCODING;
    assertReason(enc, () -> fx.opener.open(env.toBuilder().clearHeader().build(), NOW));
    assertReason(enc, () -> EnvelopeOpener.transcriptDigest(env.toBuilder().clearHeader().build()));
    assertReason(enc, () -> fx.opener.open(env.toBuilder()
        .setEncryptedSessionKey(env.getEncryptedSessionKey().substring(1)).build(), NOW));
    assertReason(enc, () -> fx.opener.open(env.toBuilder()
        .setEncryptedSessionKey(env.getEncryptedSessionKey().concat(ByteString.copyFrom(new byte[1]))).build(), NOW));
    assertReason(enc, () -> fx.opener.open(env.toBuilder().setEncryptedQuery(env.getEncryptedQuery().substring(0, 27)).build(), NOW));
    assertReason(Reason.DECRYPTION_FAILED,
        () -> fx.opener.open(env.toBuilder().setEncryptedQuery(env.getEncryptedQuery().substring(0, 28)).build(), NOW));
    assertReason(enc, () -> fx.opener.open(withHeader(env, h -> h.setSessionId(h.getSessionId().substring(1))), NOW));
    assertReason(enc, () -> fx.opener.open(withHeader(env, h -> h.setTimestampMs(-1)), NOW));
    assertReason(enc, () -> fx.opener.open(withHeader(env, h -> h.setSellerKeyId("k".repeat(65))), NOW));
    assertReason(Reason.INVALID_PUBLIC_KEY,
        () -> fx.opener.open(env.toBuilder().setEphemeralPublicKey(env.getEphemeralPublicKey().substring(1)).build(), NOW));
    assertReason(Reason.INVALID_PUBLIC_KEY,
        () -> fx.opener.open(env.toBuilder().setEphemeralPublicKey(ByteString.EMPTY).build(), NOW));

    // A tighter query cap on the seller.
    EnvelopeOpener tight = new EnvelopeOpener(fx.sellerId, fx.ring, EnvelopeOpener.DEFAULT_MAX_CLOCK_SKEW, 8);
    assertReason(enc, () -> tight.open(env, NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void aSmallOrderOrNonCanonicalEphemeralKeyIsAnInvalidPublicKey(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("points"));
    byte[] bad = new byte[env.getEphemeralPublicKey().size()];
    if (suite == CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM) {
      bad[0] = 0x02; // x = 0: 0^3 + 7 = 7 is not a square mod p, so no point
    } else {
      bad[0] = 1; // u = 1 has order 4: the shared secret is all zero
    }
    assertReason(Reason.INVALID_PUBLIC_KEY,
        () -> fx.opener.open(env.toBuilder().setEphemeralPublicKey(ByteString.copyFrom(bad)).build(), NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void aQueryThatIsNotASealedQueryIsAnInvalidEncoding(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    PrivacyEnvelope env = wire(EnvelopeSealer.seal(fx.announcement, garbage, NOW));
    assertReason(Reason.INVALID_ENCODING, () -> fx.opener.open(env, NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void theOtherSuitesNumberWithThisSuitesKeyIsRefused(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    PrivacyEnvelope env = wire(fx.seal("suite"));
    CipherSuite other = suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM
        ? CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM
        : CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
    // The ephemeral key has the wrong length for the claimed suite.
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> fx.opener.open(withHeader(env, h -> h.setCipherSuite(other)), NOW));
    assertReason(Reason.UNSUPPORTED,
        () -> fx.opener.open(withHeader(env, h -> h.setCipherSuite(CipherSuite.CIPHER_SUITE_UNSPECIFIED)), NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void envelopeOpensAtTheEdgeOfTheSkewWindowWithTheKeyStillValid(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    Instant ts = Fixtures.NOT_AFTER.minusMillis(1);
    PrivacyEnvelope env = wire(EnvelopeSealer.seal(fx.announcement, Fixtures.query("edge"), ts));
    // Arrives after not_after but within the skew: the key was valid when the buyer sealed.
    assertEquals(Fixtures.query("edge"), fx.opener.open(env, Fixtures.NOT_AFTER.plusSeconds(30)).query());
  }
}
