package org.openshard.buyer.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.ChunkSealer;
import org.openshard.crypto.envelope.EnvelopeOpener;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.OpenedEnvelope;
import org.openshard.crypto.envelope.SellerEncryptionKey;
import org.openshard.crypto.envelope.SellerKeyRing;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.NullifierScope;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.ZkProof;

/** The real envelope adapters against the seller side of the envelope module. */
class SealingEnvelopeFactoryTest {
  private final Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
  private final String sellerId = identity.publicKey().ethereumAddress();

  private SellerEncryptionKey key(CipherSuite suite) throws Exception {
    Instant now = Instant.now();
    return SellerEncryptionKey.generate(suite, "k1", now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)));
  }

  @Test
  void theSellerOpensWhatTheBuyerSealsAndTheBuyerOpensTheAnswer() throws Exception {
    for (CipherSuite suite : new CipherSuite[] {CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM, CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM}) {
      SellerEncryptionKey sk = key(suite);
      SignedKeyAnnouncement ann = KeyAnnouncements.sign(identity, sk);
      SellerKey verified = new AnnouncementVerifier().verify(ann, sellerId, Instant.now());
      AtomicReference<byte[]> provenOver = new AtomicReference<>();
      CredentialProver prover =
          (slot, transcript) -> {
            provenOver.set(transcript.toBytes());
            return new ProvenScope(
                BuyerCommitment.newBuilder().setAnchorSetEpoch(3).build(),
                ZkProof.newBuilder()
                    .setScope(NullifierScope.newBuilder().setSellerId(slot.sellerId()).setEpoch(slot.epoch()).setSlot(slot.slot()))
                    .setKeyImage(ByteString.copyFrom(new byte[33]))
                    .build(),
                "ab".repeat(32));
          };
      SealingEnvelopeFactory factory = new SealingEnvelopeFactory(prover, Clock.systemUTC());
      String marker = "secret-prompt-marker-7c1d";
      SealedQuery q =
          SealedQuery.newBuilder().setServiceId("m1").setOpenaiRequestJson("{\"model\":\"m1\",\"prompt\":\"" + marker + "\"}").build();
      PreparedEnvelope p = factory.prepare(verified, q, new NullifierSlot(sellerId, 9, 2));
      PrivacyEnvelope env = p.envelope();
      assertEquals(3, env.getBuyerCommitment().getAnchorSetEpoch());
      assertEquals(2, env.getZkProof().getScope().getSlot());
      assertArrayEquals(EnvelopeOpener.transcriptDigest(env), provenOver.get(), "the proof is over the envelope's transcript");
      // A long marker: random ciphertext bytes cannot spell it by chance (a 2-letter one could).
      assertFalse(env.toString().contains(marker), "the query is not in the clear");
      assertFalse(env.toByteString().toStringUtf8().contains(marker), "nor in the wire bytes");

      OpenedEnvelope opened = new EnvelopeOpener(sellerId, new SellerKeyRing(sk, Duration.ZERO)).open(env, Instant.now());
      assertEquals(q, opened.query());
      ChunkSealer sealer = opened.session().responseSealer();
      EncryptedChunk c0 = sealer.seal(StreamPayload.newBuilder().setOpenaiChunkJson("{\"a\":1}").build(), false);
      EncryptedChunk c1 = sealer.seal(StreamPayload.getDefaultInstance(), true);
      ResponseOpener opener = p.responseOpener();
      assertEquals("{\"a\":1}", opener.open(c0).getOpenaiChunkJson());
      opener.open(c1);
      opener.finish();
    }
  }

  @Test
  void openerErrorsAreTyped() throws Exception {
    SellerEncryptionKey sk = key(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    SellerKey verified = new AnnouncementVerifier().verify(KeyAnnouncements.sign(identity, sk), sellerId, Instant.now());
    SealingEnvelopeFactory factory =
        new SealingEnvelopeFactory(
            (slot, t) -> new ProvenScope(BuyerCommitment.getDefaultInstance(), ZkProof.getDefaultInstance(), ""), Clock.systemUTC());
    PreparedEnvelope p = factory.prepare(verified, SealedQuery.getDefaultInstance(), new NullifierSlot(sellerId, 1, 0));
    OpenedEnvelope opened = new EnvelopeOpener(sellerId, new SellerKeyRing(sk, Duration.ZERO)).open(p.envelope(), Instant.now());
    ChunkSealer sealer = opened.session().responseSealer();
    sealer.seal(StreamPayload.getDefaultInstance(), false);
    EncryptedChunk second = sealer.seal(StreamPayload.getDefaultInstance(), false);
    ResponseOpener opener = p.responseOpener();
    BuyerException gap = assertThrows(BuyerException.class, () -> opener.open(second));
    assertEquals(ErrorCode.STREAM_INTEGRITY, gap.code());
    ResponseOpener fresh = factory.prepare(verified, SealedQuery.getDefaultInstance(), new NullifierSlot(sellerId, 1, 1)).responseOpener();
    BuyerException truncated = assertThrows(BuyerException.class, fresh::finish);
    assertEquals(ErrorCode.STREAM_INTEGRITY, truncated.code());
  }

  @Test
  void keysThatDoNotVerifyAreRefused() throws Exception {
    SellerEncryptionKey sk = key(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    SignedKeyAnnouncement ann = KeyAnnouncements.sign(identity, sk);
    String other = Secp256k1PrivateKey.generate().publicKey().ethereumAddress();
    BuyerException wrongSeller = assertThrows(BuyerException.class, () -> new AnnouncementVerifier().verify(ann, other, Instant.now()));
    assertEquals(ErrorCode.SIGNATURE_INVALID, wrongSeller.code());
    BuyerException expired =
        assertThrows(BuyerException.class, () -> new AnnouncementVerifier().verify(ann, sellerId, Instant.now().plus(Duration.ofDays(1))));
    assertEquals(ErrorCode.SELLER_KEY_EXPIRED, expired.code());
  }
}
