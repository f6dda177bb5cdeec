package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.function.Executable;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.ZkProof;

/** A seller with one key, a buyer that has verified its announcement, and helpers. */
final class Fixtures {
  static final Instant NOT_BEFORE = Instant.parse("2025-06-01T00:00:00Z");
  static final Instant NOT_AFTER = Instant.parse("2025-06-08T00:00:00Z");
  static final Instant NOW = Instant.parse("2025-06-02T12:00:00Z");
  static final Duration GRACE = Duration.ofHours(1);

  final CipherSuite suite;
  final Secp256k1PrivateKey identity;
  final String sellerId;
  final SellerEncryptionKey sellerKey;
  final SellerKeyRing ring;
  final EnvelopeOpener opener;
  final VerifiedKeyAnnouncement announcement;

  Fixtures(CipherSuite suite) throws CryptoException {
    this(suite, "key-1");
  }

  Fixtures(CipherSuite suite, String keyId) throws CryptoException {
    this.suite = suite;
    this.identity = Secp256k1PrivateKey.generate();
    this.sellerId = identity.publicKey().ethereumAddress();
    this.sellerKey = SellerEncryptionKey.generate(suite, keyId, NOT_BEFORE, NOT_AFTER);
    this.ring = new SellerKeyRing(sellerKey, GRACE);
    this.opener = new EnvelopeOpener(sellerId, ring);
    this.announcement = KeyAnnouncements.verify(KeyAnnouncements.sign(identity, sellerKey), sellerId, NOW);
  }

  static SealedQuery query(String text) {
    return SealedQuery.newBuilder()
        .setServiceId("llama-3.1-8b")
        .setOpenaiRequestJson("{\"model\":\"llama-3.1-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}")
        .setMaxCost(12345)
        .build();
  }

  SealedEnvelope seal(String text) throws CryptoException {
    return EnvelopeSealer.seal(announcement, query(text), NOW);
  }

  static PrivacyEnvelope wire(SealedEnvelope sealed) {
    return sealed.toProto(
        BuyerCommitment.newBuilder().setAnchorSetEpoch(7).build(), ZkProof.newBuilder().build());
  }

  static CryptoException.Reason reasonOf(Executable e) {
    return assertThrows(CryptoException.class, e).reason();
  }

  static void assertReason(CryptoException.Reason expected, Executable e) {
    assertEquals(expected, reasonOf(e));
  }

  static byte[] flipBit(byte[] b, int bit) {
    byte[] out = b.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }
}
