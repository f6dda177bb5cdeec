package org.openshard.crypto.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.ZkProof;

/**
 * Computes every output of the known-answer vectors from their inputs, through the production code
 * paths (with the injected randomness of {@link SealingInputs}). Used once by {@link
 * KnownAnswerVectorWriter} to write testdata/*.json, and by {@link KnownAnswerVectorsTest} to
 * recompute and compare.
 */
final class KnownAnswers {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private KnownAnswers() {}

  static byte[] hex(JsonNode n, String field) throws CryptoException {
    JsonNode v = n.get(field);
    if (v == null) {
      throw new IllegalArgumentException("vector has no field " + field);
    }
    return Bytes.fromHex(v.asText());
  }

  /** The result of one envelope vector: its outputs and the two sessions, to drive the streams. */
  static final class EnvelopeRun {
    final ObjectNode outputs;
    final SealedEnvelope sealed;
    final OpenedEnvelope opened;

    EnvelopeRun(ObjectNode outputs, SealedEnvelope sealed, OpenedEnvelope opened) {
      this.outputs = outputs;
      this.sealed = sealed;
      this.opened = opened;
    }
  }

  static EnvelopeRun envelope(CipherSuite suite, JsonNode in) throws Exception {
    Secp256k1PrivateKey identity = Secp256k1PrivateKey.fromBytes(hex(in, "seller_identity_private_key"));
    String keyId = in.get("seller_key_id").asText();
    Instant notBefore = Instant.ofEpochSecond(in.get("not_before_unix").asLong());
    Instant notAfter = Instant.ofEpochSecond(in.get("not_after_unix").asLong());
    Instant timestamp = Instant.ofEpochMilli(in.get("timestamp_ms").asLong());
    SellerEncryptionKey sellerKey =
        SellerEncryptionKey.fromPrivateKeyBytes(suite, keyId, hex(in, "seller_private_key"), notBefore, notAfter);
    byte[] sessionKey = hex(in, "session_key");
    byte[] sessionId = hex(in, "session_id");
    byte[] query = hex(in, "sealed_query");
    int version = EnvelopeFields.PROTOCOL_VERSION;

    ObjectNode out = JSON.objectNode();
    String sellerId = identity.publicKey().ethereumAddress();
    out.put("seller_id", sellerId);
    var signed = KeyAnnouncements.sign(identity, sellerKey);
    out.put("key_announcement", Bytes.hex(signed.getAnnouncement().toByteArray()));
    out.put("key_announcement_signature", Bytes.hex(signed.getSignature().toByteArray()));
    VerifiedKeyAnnouncement verified = KeyAnnouncements.verify(signed, sellerId, timestamp);

    byte[] sellerPub = sellerKey.publicKey().toBytes();
    out.put("seller_public_key", Bytes.hex(sellerPub));
    AgreementKey ephemeral = AgreementKey.fromBytes(suite, hex(in, "ephemeral_private_key"));
    byte[] ephPub = ephemeral.publicKey().toBytes();
    out.put("ephemeral_public_key", Bytes.hex(ephPub));
    byte[] shared = ephemeral.agree(sellerKey.publicKey());
    out.put("ecdh_shared_secret", Bytes.hex(shared));
    byte[] sellerIdUtf8 = sellerId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] keyIdUtf8 = keyId.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.put("kek_salt", Bytes.hex(EnvelopeFormat.kekSalt(ephPub, sellerPub)));
    out.put("kek_info", Bytes.hex(EnvelopeFormat.kekInfo(version, suite, ephPub, sellerPub, sellerIdUtf8, keyIdUtf8)));
    out.put("kek", Bytes.hex(EnvelopeFormat.kek(shared, version, suite, ephPub, sellerPub, sellerIdUtf8, keyIdUtf8)));
    out.put("associated_data", Bytes.hex(EnvelopeFormat.associatedData(
        version, suite, sellerIdUtf8, keyIdUtf8, timestamp.toEpochMilli(), sessionId, ephPub)));
    out.put("query_key_info", Bytes.hex(EnvelopeFormat.queryKeyInfo()));
    out.put("query_key", Bytes.hex(EnvelopeFormat.queryKey(sessionKey, sessionId)));

    SealingInputs inputs = new SealingInputs(
        hex(in, "ephemeral_private_key"), sessionKey, sessionId, hex(in, "session_key_nonce"), hex(in, "query_nonce"));
    SealedEnvelope sealed = EnvelopeSealer.sealForTesting(verified, query, timestamp, inputs);
    out.put("encrypted_session_key", Bytes.hex(sealed.encryptedSessionKey()));
    out.put("encrypted_query", Bytes.hex(sealed.encryptedQuery()));
    PrivacyEnvelope env = sealed.toProto(BuyerCommitment.getDefaultInstance(), ZkProof.getDefaultInstance());
    out.put("transcript_preimage", Bytes.hex(EnvelopeFormat.transcriptPreimage(
        EnvelopeFields.parse(env, EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES))));
    out.put("transcript_digest", Bytes.hex(sealed.transcriptDigest()));

    OpenedEnvelope opened =
        new EnvelopeOpener(sellerId, new SellerKeyRing(sellerKey, Duration.ZERO)).open(env, timestamp);
    return new EnvelopeRun(out, sealed, opened);
  }

  /** One direction of a stream vector: the key and every chunk, sealed by {@code sealer}. */
  static ObjectNode streamDirection(
      StreamDirection direction, byte[] sessionKey, byte[] transcript, ChunkSealer sealer, JsonNode plaintexts)
      throws Exception {
    ObjectNode d = JSON.objectNode();
    d.put("direction", direction.label());
    d.put("key_info", Bytes.hex(StreamFormat.streamKeyInfo(direction)));
    d.put("key", Bytes.hex(StreamFormat.streamKey(sessionKey, transcript, direction)));
    ArrayNode chunks = d.putArray("chunks");
    long seq = 0;
    for (JsonNode p : plaintexts) {
      boolean last = p.get("final").asBoolean();
      byte[] plaintext = hex(p, "plaintext");
      StreamPayload payload = StreamPayload.parseFrom(plaintext);
      if (!java.util.Arrays.equals(payload.toByteArray(), plaintext)) {
        throw new IllegalArgumentException("plaintext is not a canonical StreamPayload");
      }
      EncryptedChunk c = sealer.seal(payload, last);
      ObjectNode cn = chunks.addObject();
      cn.put("sequence", c.getSequence());
      cn.put("final", c.getFinal());
      cn.put("plaintext", Bytes.hex(plaintext));
      cn.put("nonce", Bytes.hex(StreamFormat.nonce(seq)));
      cn.put("associated_data", Bytes.hex(StreamFormat.associatedData(direction, transcript, seq, last)));
      cn.put("ciphertext", Bytes.hex(c.getCiphertext().toByteArray()));
      seq++;
    }
    return d;
  }
}
