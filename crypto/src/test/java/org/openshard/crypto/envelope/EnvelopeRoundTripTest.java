package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.wire;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.StreamPayload;

class EnvelopeRoundTripTest {

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void sealThenOpenRecoversTheQueryAndAgreesOnTheTranscript(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope sealed = fx.seal("hello");
    PrivacyEnvelope env = wire(sealed);

    assertEquals(suite, env.getHeader().getCipherSuite());
    assertEquals(fx.sellerId, env.getHeader().getSellerId());
    assertEquals("key-1", env.getHeader().getSellerKeyId());
    assertEquals(NOW.toEpochMilli(), env.getHeader().getTimestampMs());
    assertEquals(16, env.getHeader().getSessionId().size());
    assertEquals(suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM ? 32 : 33,
        env.getEphemeralPublicKey().size());
    assertEquals(60, env.getEncryptedSessionKey().size());
    assertEquals(12 + Fixtures.query("hello").getSerializedSize() + 16, env.getEncryptedQuery().size());

    byte[] staticDigest = EnvelopeOpener.transcriptDigest(env);
    assertArrayEquals(sealed.transcriptDigest(), staticDigest);

    OpenedEnvelope opened = fx.opener.open(env, NOW);
    assertEquals(Fixtures.query("hello"), opened.query());
    assertArrayEquals(sealed.transcriptDigest(), opened.transcriptDigest());
    assertArrayEquals(env.getHeader().getSessionId().toByteArray(), opened.sessionId());
    assertArrayEquals(sealed.session().sessionId(), opened.session().sessionId());
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void responseStreamFlowsFromSellerToBuyerAndRequestStreamTheOtherWay(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope sealed = fx.seal("stream please");
    OpenedEnvelope opened = fx.opener.open(wire(sealed), NOW);

    ChunkSealer out = opened.session().responseSealer();
    ChunkOpener in = sealed.session().responseOpener();
    for (int i = 0; i < 5; i++) {
      StreamPayload p = StreamPayload.newBuilder().setOpenaiChunkJson("{\"delta\":" + i + "}").build();
      EncryptedChunk c = out.seal(p, i == 4);
      assertEquals(i, c.getSequence());
      assertEquals(p, in.open(c));
    }
    in.finish();
    assertEquals(5, in.chunksOpened());

    ChunkSealer req = sealed.session().requestSealer();
    ChunkOpener reqIn = opened.session().requestOpener();
    StreamPayload p = StreamPayload.newBuilder().setOpenaiResponseJson("{}").build();
    assertEquals(p, reqIn.open(req.seal(p, true)));
    reqIn.finish();
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void everySealingUsesFreshEphemeralKeySessionIdAndCiphertext(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope a = fx.seal("same");
    SealedEnvelope b = fx.seal("same");
    assertFalse(a.ephemeralPublicKey().equals(b.ephemeralPublicKey()));
    assertFalse(Arrays.equals(a.header().getSessionId().toByteArray(), b.header().getSessionId().toByteArray()));
    assertFalse(Arrays.equals(a.encryptedSessionKey(), b.encryptedSessionKey()));
    assertFalse(Arrays.equals(a.encryptedQuery(), b.encryptedQuery()));
    assertFalse(Arrays.equals(a.transcriptDigest(), b.transcriptDigest()));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void sessionStreamsAreHandedOutOnlyOnce(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    SealedEnvelope sealed = fx.seal("once");
    OpenedEnvelope opened = fx.opener.open(wire(sealed), NOW);
    opened.session().responseSealer();
    assertThrows(IllegalStateException.class, () -> opened.session().responseSealer());
    sealed.session().responseOpener();
    assertThrows(IllegalStateException.class, () -> sealed.session().responseOpener());
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void sealingRefusesAKeyOutsideItsWindowAtTheTimestamp(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    assertReason(CryptoException.Reason.KEY_EXPIRED,
        () -> EnvelopeSealer.seal(fx.announcement, Fixtures.query("x"), Fixtures.NOT_AFTER));
    assertReason(CryptoException.Reason.KEY_EXPIRED,
        () -> EnvelopeSealer.seal(fx.announcement, Fixtures.query("x"), Fixtures.NOT_BEFORE.minusMillis(1)));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void oversizedQueryIsRefusedAtSealing(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    byte[] big = new byte[EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES + 1];
    assertReason(CryptoException.Reason.INVALID_ENCODING, () -> EnvelopeSealer.seal(fx.announcement, big, NOW));
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void oneOpenerServesConcurrentEnvelopes(CipherSuite suite) throws Exception {
    Fixtures fx = new Fixtures(suite);
    java.util.List<PrivacyEnvelope> envs = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      envs.add(wire(fx.seal("q" + i)));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<OpenedEnvelope>> results = new java.util.ArrayList<>();
      for (PrivacyEnvelope e : envs) {
        results.add(pool.submit(() -> fx.opener.open(e, NOW)));
      }
      for (int i = 0; i < envs.size(); i++) {
        assertEquals(Fixtures.query("q" + i), results.get(i).get().query());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
