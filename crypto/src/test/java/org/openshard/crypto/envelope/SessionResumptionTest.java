package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.wire;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Hkdf;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.StreamPayload;

class SessionResumptionTest {
  private static final byte[] TICKET = new byte[16];

  static {
    Arrays.fill(TICKET, (byte) 0x5a);
  }

  /** A buyer and a seller sharing one opened envelope session. */
  private static final class Pair {
    final SessionResumption buyer;
    final SessionResumption seller;

    Pair(CipherSuite suite) throws CryptoException {
      Fixtures fx = new Fixtures(suite);
      SealedEnvelope sealed = fx.seal("first");
      OpenedEnvelope opened = fx.opener.open(wire(sealed), NOW);
      this.buyer = sealed.session().resumption();
      this.seller = opened.session().resumption();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CipherSuite.class,
      names = {"CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM", "CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM"})
  void aResumedRequestOpensAtTheSellerAndItsAnswerOpensAtTheBuyer(CipherSuite suite) throws Exception {
    Pair p = new Pair(suite);
    SealedResumedRequest sealed = p.buyer.seal(TICKET, 7, Fixtures.query("second"));
    ResumedRequest wire = ResumedRequest.parseFrom(sealed.toProto().toByteArray());
    assertEquals(7, wire.getRequestNumber());
    assertEquals(12 + Fixtures.query("second").getSerializedSize() + 16, wire.getEncryptedQuery().size());

    OpenedResumedRequest opened = p.seller.open(wire);
    assertEquals(Fixtures.query("second"), opened.query());
    assertEquals(7, opened.requestNumber());
    assertArrayEquals(TICKET, opened.ticket());
    assertArrayEquals(sealed.transcriptDigest(), opened.transcriptDigest());

    ChunkSealer out = opened.session().responseSealer();
    ChunkOpener in = sealed.session().responseOpener();
    StreamPayload a = StreamPayload.newBuilder().setOpenaiChunkJson("{\"a\":1}").build();
    StreamPayload b = StreamPayload.newBuilder().setOpenaiChunkJson("{\"b\":2}").build();
    assertEquals(a, in.open(out.seal(a, false)));
    assertEquals(b, in.open(out.seal(b, true)));
    in.finish();
  }

  @Test
  void everyRequestNumberHasItsOwnKeysAndTranscript() throws Exception {
    Pair p = new Pair(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    SealedResumedRequest one = p.buyer.seal(TICKET, 1, Fixtures.query("same"));
    SealedResumedRequest two = p.buyer.seal(TICKET, 2, Fixtures.query("same"));
    assertFalse(Arrays.equals(one.transcriptDigest(), two.transcriptDigest()));
    // Request 1's answer cannot be read as request 2's.
    EncryptedChunk c = p.seller.open(one.toProto()).session().responseSealer().seal(StreamPayload.getDefaultInstance(), true);
    assertReason(CryptoException.Reason.DECRYPTION_FAILED, () -> two.session().responseOpener().open(c));
  }

  @Test
  void aChangedNumberTicketOrCiphertextFailsAuthentication() throws Exception {
    Pair p = new Pair(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    ResumedRequest good = p.buyer.seal(TICKET, 3, Fixtures.query("q")).toProto();
    assertReason(CryptoException.Reason.DECRYPTION_FAILED, () -> p.seller.open(good.toBuilder().setRequestNumber(4).build()));
    byte[] otherTicket = TICKET.clone();
    otherTicket[0] ^= 1;
    assertReason(
        CryptoException.Reason.DECRYPTION_FAILED,
        () -> p.seller.open(good.toBuilder().setTicket(ByteString.copyFrom(otherTicket)).build()));
    byte[] ct = good.getEncryptedQuery().toByteArray();
    ct[ct.length - 1] ^= 1;
    assertReason(
        CryptoException.Reason.DECRYPTION_FAILED,
        () -> p.seller.open(good.toBuilder().setEncryptedQuery(ByteString.copyFrom(ct)).build()));
    // Another session's secret cannot open it.
    Pair other = new Pair(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    assertReason(CryptoException.Reason.DECRYPTION_FAILED, () -> other.seller.open(good));
    assertEquals(Fixtures.query("q"), p.seller.open(good).query());
  }

  @Test
  void sizesAndNumbersAreChecked() throws Exception {
    Pair p = new Pair(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM);
    assertReason(CryptoException.Reason.INVALID_ENCODING, () -> p.buyer.seal(new byte[15], 1, Fixtures.query("q")));
    assertReason(CryptoException.Reason.INVALID_ENCODING, () -> p.buyer.seal(TICKET, 0, Fixtures.query("q")));
    assertReason(CryptoException.Reason.INVALID_ENCODING, () -> p.buyer.seal(TICKET, -1, Fixtures.query("q")));
    ResumedRequest good = p.buyer.seal(TICKET, 1, Fixtures.query("q")).toProto();
    assertReason(
        CryptoException.Reason.INVALID_ENCODING,
        () -> p.seller.open(good.toBuilder().setTicket(ByteString.copyFrom(new byte[17])).build()));
    assertReason(CryptoException.Reason.INVALID_ENCODING, () -> p.seller.open(good.toBuilder().setRequestNumber(0).build()));
    assertReason(
        CryptoException.Reason.INVALID_ENCODING,
        () -> p.seller.open(good.toBuilder().setEncryptedQuery(ByteString.copyFrom(new byte[27])).build()));
  }

  @Test
  void anErasedSecretRefusesAndAResumedSessionDoesNotChain() throws Exception {
    Pair p = new Pair(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    SealedResumedRequest sealed = p.buyer.seal(TICKET, 1, Fixtures.query("q"));
    assertThrows(IllegalStateException.class, () -> sealed.session().resumption());
    assertThrows(IllegalStateException.class, () -> p.seller.open(sealed.toProto()).session().resumption());
    p.seller.erase();
    assertReason(CryptoException.Reason.UNKNOWN_KEY, () -> p.seller.open(sealed.toProto()));
  }

  @Test
  void derivationsFollowTheProtocolText() throws Exception {
    // RES-1 and RES-4..RES-6 recomputed here from the text of docs/protocol.md section 5a.
    byte[] sessionKey = new byte[32];
    Arrays.fill(sessionKey, (byte) 1);
    byte[] transcript = Hashes.sha256("transcript".getBytes());
    byte[] seller = "0x00000000000000000000000000000000000000aa".getBytes();
    SessionResumption r = SessionResumption.derive(sessionKey, transcript, seller);
    SealedResumedRequest sealed = r.seal(TICKET, 9, Fixtures.query("vector"));

    byte[] secret = Hkdf.sha256(sessionKey, transcript, lp("openshard.v1.session.resume"), 32);
    byte[] requestKey = Hkdf.sha256(secret, TICKET, cat(lp("openshard.v1.session.request-key"), u64(9)), 32);
    byte[] queryKey = Hkdf.sha256(requestKey, TICKET, lp("openshard.v1.envelope.query-key"), 32);
    byte[] aad = cat(lp("openshard.v1.session.query"), lp(seller), lp(TICKET), u64(9));
    byte[] ct = sealed.toProto().getEncryptedQuery().toByteArray();
    assertEquals(Fixtures.query("vector").toByteString(), ByteString.copyFrom(org.openshard.crypto.AesGcm.of(queryKey).open(ct, aad)));
    byte[] expectedTranscript =
        Hashes.sha256(cat(lp("openshard.v1.session.transcript"), lp(seller), lp(TICKET), u64(9), Hashes.sha256(ct)));
    assertArrayEquals(expectedTranscript, sealed.transcriptDigest());
  }

  private static byte[] lp(String s) {
    return lp(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static byte[] lp(byte[] b) {
    return cat(org.openshard.crypto.Bytes.u32(b.length), b);
  }

  private static byte[] u64(long v) {
    return org.openshard.crypto.Bytes.u64(v);
  }

  private static byte[] cat(byte[]... parts) {
    return org.openshard.crypto.Bytes.concat(parts);
  }
}
