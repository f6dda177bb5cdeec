package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openshard.crypto.envelope.Fixtures.NOT_AFTER;
import static org.openshard.crypto.envelope.Fixtures.NOT_BEFORE;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.flipBit;

import com.google.protobuf.ByteString;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.crypto.CryptoException.Reason;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/** KEY-1..KEY-8: signing and verifying seller key announcements. */
class KeyAnnouncementsTest {

  /** Re-signs a modified announcement with {@code signer}, so only the modification is wrong. */
  private static SignedKeyAnnouncement resigned(
      Secp256k1PrivateKey signer, SignedKeyAnnouncement original, UnaryOperator<KeyAnnouncement.Builder> change)
      throws Exception {
    byte[] bytes = change.apply(KeyAnnouncement.parseFrom(original.getAnnouncement()).toBuilder()).build().toByteArray();
    return SignedKeyAnnouncement.newBuilder()
        .setAnnouncement(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(signer, KeyAnnouncements.SIGNATURE_CONTEXT, bytes)))
        .build();
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void signedAnnouncementVerifiesAndCarriesTheKey(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SignedKeyAnnouncement signed = KeyAnnouncements.sign(fx.identity, fx.sellerKey);
    KeyAnnouncement a = KeyAnnouncement.parseFrom(signed.getAnnouncement());
    assertEquals(fx.sellerId, a.getSellerId());
    assertEquals(NOT_BEFORE.getEpochSecond(), a.getNotBeforeUnix());
    assertEquals(65, signed.getSignature().size());

    VerifiedKeyAnnouncement v = KeyAnnouncements.verify(signed, fx.sellerId.toUpperCase(Locale.ROOT).replace("0X", "0x"), NOW);
    assertEquals(fx.sellerId, v.sellerId());
    assertEquals("key-1", v.keyId());
    assertEquals(suite, v.suite());
    assertEquals(fx.sellerKey.publicKey(), v.publicKey());
    assertEquals(NOT_BEFORE, v.notBefore());
    assertEquals(NOT_AFTER, v.notAfter());
    assertEquals(signed, v.signed());
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void announcementOutsideItsWindowIsExpired(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SignedKeyAnnouncement signed = KeyAnnouncements.sign(fx.identity, fx.sellerKey);
    assertReason(Reason.KEY_EXPIRED, () -> KeyAnnouncements.verify(signed, fx.sellerId, NOT_AFTER));
    assertReason(Reason.KEY_EXPIRED, () -> KeyAnnouncements.verify(signed, fx.sellerId, NOT_AFTER.plusSeconds(86400)));
    assertReason(Reason.KEY_EXPIRED, () -> KeyAnnouncements.verify(signed, fx.sellerId, NOT_BEFORE.minusMillis(1)));
    KeyAnnouncements.verify(signed, fx.sellerId, NOT_BEFORE);
    KeyAnnouncements.verify(signed, fx.sellerId, NOT_AFTER.minusMillis(1));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void forgedOrAlteredAnnouncementsAreInvalidSignatures(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SignedKeyAnnouncement signed = KeyAnnouncements.sign(fx.identity, fx.sellerKey);
    Secp256k1PrivateKey mallory = Secp256k1PrivateKey.generate();

    // Mallory signs an announcement that claims to be the seller's.
    SignedKeyAnnouncement forged = resigned(mallory, signed, b -> b);
    assertReason(Reason.INVALID_SIGNATURE, () -> KeyAnnouncements.verify(forged, fx.sellerId, NOW));
    // Mallory's own signature, correctly naming herself, is not the seller's.
    SignedKeyAnnouncement own = resigned(mallory, signed, b -> b.setSellerId(mallory.publicKey().ethereumAddress()));
    assertReason(Reason.INVALID_SIGNATURE, () -> KeyAnnouncements.verify(own, fx.sellerId, NOW));
    // The seller signed it, but for another seller id.
    SignedKeyAnnouncement otherId = resigned(fx.identity, signed, b -> b.setSellerId(mallory.publicKey().ethereumAddress()));
    assertReason(Reason.INVALID_SIGNATURE, () -> KeyAnnouncements.verify(otherId, fx.sellerId, NOW));
    // A flipped bit in every byte of the announcement and of the signature (each recovery costs
    // milliseconds, so one bit per byte, cycling through the bit positions).
    byte[] ann = signed.getAnnouncement().toByteArray();
    for (int i = 0; i < ann.length; i++) {
      int bit = i * 8 + i % 8;
      SignedKeyAnnouncement t = signed.toBuilder().setAnnouncement(ByteString.copyFrom(flipBit(ann, bit))).build();
      assertReason(Reason.INVALID_SIGNATURE, () -> KeyAnnouncements.verify(t, fx.sellerId, NOW));
    }
    byte[] sig = signed.getSignature().toByteArray();
    for (int i = 0; i < sig.length; i++) {
      int bit = i * 8 + (i + 3) % 8;
      SignedKeyAnnouncement t = signed.toBuilder().setSignature(ByteString.copyFrom(flipBit(sig, bit))).build();
      assertReason(Reason.INVALID_SIGNATURE, () -> KeyAnnouncements.verify(t, fx.sellerId, NOW));
    }
    // Expecting another seller.
    assertReason(Reason.INVALID_SIGNATURE,
        () -> KeyAnnouncements.verify(signed, mallory.publicKey().ethereumAddress(), NOW));
    assertReason(Reason.INVALID_SIGNATURE,
        () -> KeyAnnouncements.verify(signed.toBuilder().clearSignature().build(), fx.sellerId, NOW));
  }

  @Test
  void correctlySignedButMalformedContentIsRefusedWithItsReason() throws Exception {
    Fixtures fx = new Fixtures(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    Secp256k1PrivateKey id = fx.identity;
    SignedKeyAnnouncement signed = KeyAnnouncements.sign(id, fx.sellerKey);

    assertReason(Reason.UNSUPPORTED, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setCipherSuite(CipherSuite.CIPHER_SUITE_UNSPECIFIED)), fx.sellerId, NOW));
    assertReason(Reason.UNSUPPORTED, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setCipherSuiteValue(77)), fx.sellerId, NOW));
    // An X25519 key announced as secp256k1: wrong length.
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setCipherSuite(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM)),
        fx.sellerId, NOW));
    byte[] smallOrder = new byte[32]; // u = 0
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setPublicKey(ByteString.copyFrom(smallOrder))), fx.sellerId, NOW));
    byte[] topBit = fx.sellerKey.publicKey().toBytes();
    topBit[31] |= (byte) 0x80;
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setPublicKey(ByteString.copyFrom(topBit))), fx.sellerId, NOW));
    byte[] offCurve = new byte[33];
    offCurve[0] = 0x02; // x = 0 is not on secp256k1
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setCipherSuite(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM)
            .setPublicKey(ByteString.copyFrom(offCurve))), fx.sellerId, NOW));
    assertReason(Reason.INVALID_ENCODING, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setKeyId("has space")), fx.sellerId, NOW));
    assertReason(Reason.INVALID_ENCODING, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setNotAfterUnix(b.getNotBeforeUnix())), fx.sellerId, NOW));
    assertReason(Reason.INVALID_ENCODING, () -> KeyAnnouncements.verify(
        resigned(id, signed, b -> b.setNotAfterUnix(Long.MAX_VALUE)), fx.sellerId, NOW));
    // Signed bytes that are not a KeyAnnouncement at all.
    byte[] junk = {(byte) 0xff, (byte) 0xff};
    SignedKeyAnnouncement notProto = SignedKeyAnnouncement.newBuilder()
        .setAnnouncement(ByteString.copyFrom(junk))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(id, KeyAnnouncements.SIGNATURE_CONTEXT, junk)))
        .build();
    assertReason(Reason.INVALID_ENCODING, () -> KeyAnnouncements.verify(notProto, fx.sellerId, NOW));
    assertReason(Reason.INVALID_ENCODING,
        () -> KeyAnnouncements.verify(SignedKeyAnnouncement.getDefaultInstance(), fx.sellerId, NOW));
  }

  @Test
  void anErasedKeyCannotBeAnnounced() throws Exception {
    Fixtures fx = new Fixtures(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM);
    fx.sellerKey.erase();
    assertThrows(IllegalStateException.class, () -> KeyAnnouncements.sign(fx.identity, fx.sellerKey));
  }
}
