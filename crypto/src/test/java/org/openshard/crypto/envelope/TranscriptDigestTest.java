package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.openshard.crypto.envelope.Fixtures.flipBit;
import static org.openshard.crypto.envelope.Fixtures.wire;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.ZkProof;

/** ENV-8: the digest the proof signs changes when any bound field changes, and only then. */
class TranscriptDigestTest {

  private static PrivacyEnvelope header(PrivacyEnvelope env, UnaryOperator<EnvelopeHeader.Builder> change) {
    return env.toBuilder().setHeader(change.apply(env.getHeader().toBuilder()).build()).build();
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void changingAnyBoundFieldChangesTheDigest(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope sealed = fx.seal("digest");
    PrivacyEnvelope env = wire(sealed);
    byte[] base = EnvelopeOpener.transcriptDigest(env);
    assertEquals(32, base.length);
    assertArrayEquals(sealed.transcriptDigest(), base);
    EnvelopeHeader h = env.getHeader();
    CipherSuite otherSuite = suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM
        ? CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM
        : CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
    // The other suite needs an ephemeral key of its length to get past the shape check.
    byte[] otherLengthKey = new byte[suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM ? 33 : 32];

    List<PrivacyEnvelope> variants = new ArrayList<>();
    variants.add(header(env, b -> b.setCipherSuite(otherSuite))
        .toBuilder().setEphemeralPublicKey(ByteString.copyFrom(otherLengthKey)).build());
    variants.add(header(env, b -> b.setSellerId(h.getSellerId().replace('0', '1'))));
    variants.add(header(env, b -> b.setSellerKeyId("key-2")));
    variants.add(header(env, b -> b.setTimestampMs(h.getTimestampMs() + 1)));
    variants.add(header(env, b -> b.setSessionId(ByteString.copyFrom(flipBit(h.getSessionId().toByteArray(), 127)))));
    variants.add(env.toBuilder()
        .setEphemeralPublicKey(ByteString.copyFrom(flipBit(env.getEphemeralPublicKey().toByteArray(), 9))).build());
    variants.add(env.toBuilder()
        .setEncryptedSessionKey(ByteString.copyFrom(flipBit(env.getEncryptedSessionKey().toByteArray(), 0))).build());
    variants.add(env.toBuilder()
        .setEncryptedQuery(ByteString.copyFrom(flipBit(env.getEncryptedQuery().toByteArray(), 200))).build());
    variants.add(wire(fx.seal("digest"))); // a second sealing of the same query

    List<byte[]> seen = new ArrayList<>();
    seen.add(base);
    for (PrivacyEnvelope v : variants) {
      byte[] d = EnvelopeOpener.transcriptDigest(v);
      for (byte[] earlier : seen) {
        assertFalse(Arrays.equals(earlier, d), "two different envelopes share a transcript digest");
      }
      seen.add(d);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void theProofAndRingAreNotPartOfTheDigest(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope sealed = fx.seal("digest");
    PrivacyEnvelope a = sealed.toProto(BuyerCommitment.getDefaultInstance(), ZkProof.getDefaultInstance());
    PrivacyEnvelope b = sealed.toProto(
        BuyerCommitment.newBuilder().setAnchorSetEpoch(99).addMemberIndices(3).build(),
        ZkProof.newBuilder().setChallenge(ByteString.copyFrom(new byte[32])).build());
    assertArrayEquals(EnvelopeOpener.transcriptDigest(a), EnvelopeOpener.transcriptDigest(b));
    assertArrayEquals(sealed.transcriptDigest(), EnvelopeOpener.transcriptDigest(b));
  }
}
