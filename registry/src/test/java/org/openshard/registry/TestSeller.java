package org.openshard.registry;

import java.util.concurrent.atomic.AtomicLong;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.registry.client.RegistrationSigner;

/**
 * Test fixture: a seller with a fresh identity key and encryption key that builds valid signed
 * registrations (customizable before signing) with strictly increasing timestamps.
 */
public final class TestSeller {
  private static final AtomicLong LAST_TS = new AtomicLong();

  private final Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
  private final Secp256k1PrivateKey encryption = Secp256k1PrivateKey.generate();
  private final String endpoint;

  public TestSeller() {
    this("127.0.0.1:9000");
  }

  public TestSeller(String endpoint) {
    this.endpoint = endpoint;
  }

  public Secp256k1PrivateKey identity() {
    return identity;
  }

  public String peerId() {
    return RegistrationSigner.peerId(identity);
  }

  /** Now, but strictly greater than any timestamp handed out before (in this JVM). */
  public static long nextTimestamp() {
    return LAST_TS.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis()));
  }

  public SignedKeyAnnouncement keyAnnouncement() {
    long now = System.currentTimeMillis() / 1000;
    return RegistrationSigner.announceKey(
        identity,
        "k-1",
        CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM,
        encryption.publicKey().compressed(),
        now - 60,
        now + 86_400);
  }

  public static Offering offering(String offeringId, long inputPrice, long outputPrice, String... serviceIds) {
    return Offering.newBuilder()
        .setOfferingId(offeringId)
        .setCapability(Capability.CAPABILITY_INFERENCE)
        .addAllServiceIds(java.util.List.of(serviceIds))
        .setPricing(Pricing.newBuilder().setInputPerMillion(inputPrice).setOutputPerMillion(outputPrice))
        .setUpstreamModel("upstream-model")
        .setMaxContextTokens(8192)
        .build();
  }

  /** A valid unsigned registration offering the service ids in one offering. */
  public SellerRegistration.Builder registration(String... serviceIds) {
    return SellerRegistration.newBuilder()
        .setPeerId(peerId())
        .setEndpoint(endpoint)
        .addOfferings(offering("main", 100_000, 200_000, serviceIds))
        .setEncryptionKey(keyAnnouncement())
        .setTimestampMs(nextTimestamp());
  }

  public RegisterRequest sign(SellerRegistration.Builder registration) {
    return RegistrationSigner.sign(identity, registration.build());
  }

  /** A signed, valid registration for these service ids with a fresh timestamp. */
  public RegisterRequest signedRegistration(String... serviceIds) {
    return sign(registration(serviceIds));
  }

  public DeregisterRequest deregistration() {
    return RegistrationSigner.signDeregistration(identity, nextTimestamp());
  }
}
