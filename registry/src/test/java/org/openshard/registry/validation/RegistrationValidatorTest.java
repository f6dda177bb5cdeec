package org.openshard.registry.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.RegistryException;
import org.openshard.registry.TestSeller;
import org.openshard.registry.client.RegistrationSigner;
import org.openshard.registry.store.PeerRecord;

class RegistrationValidatorTest {
  private final RegistrationValidator validator = new RegistrationValidator(60_000);
  private final TestSeller seller = new TestSeller();

  private RegistryException refused(RegisterRequest r) {
    return assertThrows(RegistryException.class, () -> validator.validate(r, System.currentTimeMillis()));
  }

  private void assertRefused(RegisterRequest r, Status.Code status, ErrorCode code, String field) {
    RegistryException e = refused(r);
    assertEquals(code, e.errorCode(), e.getMessage());
    assertEquals(status, e.statusCode(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(!e.getMessage().isBlank());
  }

  @Test
  void acceptsAValidRegistration() throws Exception {
    RegisterRequest r = seller.signedRegistration("llama-3.1-8b", "org/model:v2");
    PeerRecord rec = validator.validate(r, System.currentTimeMillis());
    assertEquals(seller.peerId(), rec.peerId());
    assertEquals(java.util.List.of("llama-3.1-8b", "org/model:v2"), rec.serviceIds());
    assertEquals(r, rec.signed());
    assertTrue(rec.keyNotAfterUnix() > System.currentTimeMillis() / 1000);
  }

  @Test
  void unsignedAndMalformedSignaturesAreUnauthenticated() {
    RegisterRequest good = seller.signedRegistration("m");
    assertRefused(good.toBuilder().clearSignature().build(), Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID, "signature");
    byte[] sig = good.getSignature().toByteArray();
    sig[64] = 29; // bad v
    assertRefused(
        good.toBuilder().setSignature(ByteString.copyFrom(sig)).build(),
        Status.Code.UNAUTHENTICATED,
        ErrorCode.SIGNATURE_INVALID,
        "signature");
  }

  @Test
  void forgedRegistrationForAnotherPeerIdIsRefused() {
    Secp256k1PrivateKey attacker = Secp256k1PrivateKey.generate();
    // The victim's registration content, signed by the attacker.
    byte[] bytes = seller.registration("m").build().toByteArray();
    RegisterRequest forged =
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(bytes))
            .setSignature(ByteString.copyFrom(IdentitySignatures.sign(attacker, RegistrationValidator.CONTEXT, bytes)))
            .build();
    assertRefused(forged, Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID, "signature");
  }

  @Test
  void signatureUnderAnotherContextIsRefused() {
    byte[] bytes = seller.registration("m").build().toByteArray();
    RegisterRequest wrongContext =
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(bytes))
            .setSignature(ByteString.copyFrom(IdentitySignatures.sign(seller.identity(), "openshard.v1.Deregistration", bytes)))
            .build();
    assertRefused(wrongContext, Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID, "signature");
  }

  @Test
  void sizeAndShape() {
    RegisterRequest huge =
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(new byte[Limits.MAX_REGISTRATION_BYTES + 1]))
            .setSignature(ByteString.copyFrom(new byte[65]))
            .build();
    assertRefused(huge, Status.Code.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED, "registration");
    RegisterRequest garbage =
        RegisterRequest.newBuilder()
            .setRegistration(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
            .setSignature(ByteString.copyFrom(new byte[65]))
            .build();
    assertRefused(garbage, Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "registration");
    assertRefused(RegisterRequest.getDefaultInstance(), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "registration");
  }

  @Test
  void peerIdMustBeLowercaseAddress() {
    String upper = "0x" + seller.peerId().substring(2).toUpperCase(java.util.Locale.ROOT);
    RegisterRequest r = sign(seller.registration("m").setPeerId(upper));
    assertRefused(r, Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "peer_id");
  }

  /** Signs without the signer's peer-id check, to test what the registry does with anything. */
  private RegisterRequest sign(SellerRegistration.Builder b) {
    byte[] bytes = b.build().toByteArray();
    return RegisterRequest.newBuilder()
        .setRegistration(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(seller.identity(), RegistrationValidator.CONTEXT, bytes)))
        .build();
  }

  @Test
  void clockSkew() {
    long now = System.currentTimeMillis();
    assertRefused(
        sign(seller.registration("m").setTimestampMs(now + 61_000)), Status.Code.UNAUTHENTICATED, ErrorCode.CLOCK_SKEW, "timestamp_ms");
    assertRefused(
        sign(seller.registration("m").setTimestampMs(now - 61_000)), Status.Code.UNAUTHENTICATED, ErrorCode.CLOCK_SKEW, "timestamp_ms");
    assertRefused(
        sign(seller.registration("m").setTimestampMs(0)), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "timestamp_ms");
  }

  @Test
  void endpointMustBeHostPort() {
    assertRefused(
        sign(seller.registration("m").setEndpoint("http://seller:9000")), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "endpoint");
    assertRefused(sign(seller.registration("m").setEndpoint("")), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "endpoint");
    assertRefused(
        sign(seller.registration("m").setEndpoint("a".repeat(300) + ":1")), Status.Code.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED, "endpoint");
  }

  @Test
  void offeringCounts() {
    SellerRegistration.Builder none = seller.registration("m").clearOfferings();
    assertRefused(sign(none), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "offerings");
    SellerRegistration.Builder many = seller.registration("m").clearOfferings();
    for (int i = 0; i < 33; i++) {
      many.addOfferings(TestSeller.offering("o" + i, 1, 1, "m"));
    }
    assertRefused(sign(many), Status.Code.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED, "offerings");
    SellerRegistration.Builder max = seller.registration("m").clearOfferings();
    for (int i = 0; i < 32; i++) {
      max.addOfferings(TestSeller.offering("o" + i, 1, 1, "m"));
    }
    assertEquals(32, assertAccepted(sign(max)).registration().getOfferingsCount());
  }

  private PeerRecord assertAccepted(RegisterRequest r) {
    try {
      return validator.validate(r, System.currentTimeMillis());
    } catch (RegistryException e) {
      throw new AssertionError("refused: " + e.getMessage() + " (" + e.field() + ")", e);
    }
  }

  @Test
  void serviceIdRules() {
    String[] seventeen = new String[17];
    for (int i = 0; i < 17; i++) {
      seventeen[i] = "svc-" + i;
    }
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1, seventeen))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.LIMIT_EXCEEDED,
        "offerings.0.service_ids");
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.service_ids");
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1, "ok", "has space"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.service_ids.1");
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1, "x".repeat(129)))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.service_ids.0");
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1, "dup", "dup"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.service_ids.1");
    assertAccepted(sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", 1, 1, "x".repeat(128)))));
  }

  @Test
  void offeringIdAndCapability() {
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("Upper", 1, 1, "m"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.offering_id");
    assertRefused(
        sign(
            seller.registration()
                .clearOfferings()
                .addOfferings(TestSeller.offering("a", 1, 1, "m"))
                .addOfferings(TestSeller.offering("a", 1, 1, "n"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.1.offering_id");
    Offering noCap = TestSeller.offering("a", 1, 1, "m").toBuilder().setCapability(Capability.CAPABILITY_UNSPECIFIED).build();
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(noCap)),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.capability");
    Offering unknownCap = TestSeller.offering("a", 1, 1, "m").toBuilder().setCapabilityValue(99).build();
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(unknownCap)),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "offerings.0.capability");
  }

  @Test
  void absurdPricesAreLimitExceeded() {
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", Limits.MAX_PRICE_PER_MILLION + 1, 1, "m"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.LIMIT_EXCEEDED,
        "offerings.0.pricing.input_per_million");
    Offering maxUint64 =
        TestSeller.offering("a", 1, 1, "m").toBuilder()
            .setPricing(Pricing.newBuilder().setInputPerMillion(1).setOutputPerMillion(1).setCachedInputPerMillion(-1L))
            .build();
    assertRefused(
        sign(seller.registration().clearOfferings().addOfferings(maxUint64)),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.LIMIT_EXCEEDED,
        "offerings.0.pricing.cached_input_per_million");
    assertAccepted(
        sign(seller.registration().clearOfferings().addOfferings(TestSeller.offering("a", Limits.MAX_PRICE_PER_MILLION, 0, "m"))));
  }

  private KeyAnnouncement.Builder announcement() {
    long now = System.currentTimeMillis() / 1000;
    return KeyAnnouncement.newBuilder()
        .setSellerId(seller.peerId())
        .setKeyId("k1")
        .setCipherSuite(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM)
        .setPublicKey(ByteString.copyFrom(Secp256k1PrivateKey.generate().publicKey().compressed()))
        .setNotBeforeUnix(now - 10)
        .setNotAfterUnix(now + 3600);
  }

  private RegisterRequest withAnnouncement(KeyAnnouncement.Builder ka, Secp256k1PrivateKey signer) {
    byte[] bytes = ka.build().toByteArray();
    return sign(
        seller.registration("m")
            .setEncryptionKey(
                org.openshard.proto.v1.SignedKeyAnnouncement.newBuilder()
                    .setAnnouncement(ByteString.copyFrom(bytes))
                    .setSignature(ByteString.copyFrom(IdentitySignatures.sign(signer, KeyAnnouncementRules.CONTEXT, bytes)))));
  }

  @Test
  void keyAnnouncementMustBeSignedBySameIdentity() {
    assertAccepted(withAnnouncement(announcement(), seller.identity()));
    assertRefused(
        withAnnouncement(announcement(), Secp256k1PrivateKey.generate()),
        Status.Code.UNAUTHENTICATED,
        ErrorCode.SIGNATURE_INVALID,
        "encryption_key.signature");
    assertRefused(
        withAnnouncement(announcement().setSellerId(new TestSeller().peerId()), seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "encryption_key.seller_id");
    assertRefused(
        sign(seller.registration("m").clearEncryptionKey()), Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, "encryption_key");
  }

  /** A 33-byte compressed encoding whose x has no curve point (x^3 + 7 is not a square). */
  private static byte[] offCurvePoint() {
    for (int x = 1; x < 100; x++) {
      byte[] enc = new byte[33];
      enc[0] = 0x02;
      enc[32] = (byte) x;
      try {
        org.openshard.crypto.Secp256k1PublicKey.fromBytes(enc);
      } catch (org.openshard.crypto.CryptoException e) {
        return enc;
      }
    }
    throw new AssertionError("no off-curve x below 100");
  }

  @Test
  void keyAnnouncementPublicKeyAndWindow() {
    byte[] offCurve = offCurvePoint();
    assertRefused(
        withAnnouncement(announcement().setPublicKey(ByteString.copyFrom(offCurve)), seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_PUBLIC_KEY,
        "encryption_key.public_key");
    assertRefused(
        withAnnouncement(
            announcement().setPublicKey(ByteString.copyFrom(Secp256k1PrivateKey.generate().publicKey().uncompressed())),
            seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_PUBLIC_KEY,
        "encryption_key.public_key");
    KeyAnnouncement.Builder x = announcement().setCipherSuite(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    assertAccepted(withAnnouncement(x.setPublicKey(ByteString.copyFrom(X25519.PrivateKey.generate().publicKey().toBytes())), seller.identity()));
    assertRefused(
        withAnnouncement(x.setPublicKey(ByteString.copyFrom(new byte[32])), seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_PUBLIC_KEY,
        "encryption_key.public_key");
    assertRefused(
        withAnnouncement(announcement().setCipherSuite(CipherSuite.CIPHER_SUITE_UNSPECIFIED), seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.UNSUPPORTED_VERSION,
        "encryption_key.cipher_suite");
    long now = System.currentTimeMillis() / 1000;
    assertRefused(
        withAnnouncement(announcement().setNotBeforeUnix(now - 7200).setNotAfterUnix(now - 3600), seller.identity()),
        Status.Code.FAILED_PRECONDITION,
        ErrorCode.SELLER_KEY_EXPIRED,
        "encryption_key.not_after_unix");
    assertRefused(
        withAnnouncement(announcement().setNotBeforeUnix(now + 10).setNotAfterUnix(now), seller.identity()),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "encryption_key.not_after_unix");
  }

  @Test
  void paymentTermsAddresses() {
    PaymentTerms ok =
        PaymentTerms.newBuilder().setChainId(84532).setPayee("0x" + "Ab".repeat(20)).setToken("0x" + "12".repeat(20)).build();
    assertAccepted(sign(seller.registration("m").setPaymentTerms(ok)));
    assertRefused(
        sign(seller.registration("m").setPaymentTerms(ok.toBuilder().setPayee("0x1234"))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "payment_terms.payee");
    assertRefused(
        sign(seller.registration("m").setPaymentTerms(ok.toBuilder().setChainId(0))),
        Status.Code.INVALID_ARGUMENT,
        ErrorCode.INVALID_ARGUMENT,
        "payment_terms.chain_id");
  }

  @Test
  void signerHelperRefusesForeignPeerId() {
    SellerRegistration other = new TestSeller().registration("m").build();
    assertThrows(IllegalArgumentException.class, () -> RegistrationSigner.sign(seller.identity(), other));
  }
}
