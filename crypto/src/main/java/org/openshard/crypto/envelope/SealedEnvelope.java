package org.openshard.crypto.envelope;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.ZkProof;

/**
 * The result of {@link EnvelopeSealer#seal}: the header, the ephemeral key and both ciphertexts,
 * the transcript digest the credential proof must sign (ENV-8), and the buyer's session. The proof
 * is made over {@link #transcriptDigest()} and attached with {@link #toProto}.
 */
public final class SealedEnvelope {
  private final EnvelopeFields fields;
  private final EncryptionPublicKey ephemeralPublicKey;
  private final byte[] transcriptDigest;
  private final BuyerSession session;
  private final EnvelopeHeader header;

  SealedEnvelope(
      EnvelopeFields fields, EncryptionPublicKey ephemeralPublicKey, byte[] transcriptDigest, BuyerSession session) {
    this.fields = fields;
    this.ephemeralPublicKey = ephemeralPublicKey;
    this.transcriptDigest = transcriptDigest.clone();
    this.session = session;
    this.header =
        EnvelopeHeader.newBuilder()
            .setProtocolVersion(fields.protocolVersion)
            .setCipherSuite(fields.suite)
            .setSellerId(fields.sellerId)
            .setSellerKeyId(fields.sellerKeyId)
            .setTimestampMs(fields.timestampMs)
            .setSessionId(ByteString.copyFrom(fields.sessionId))
            .build();
  }

  public EnvelopeHeader header() {
    return header;
  }

  public EncryptionPublicKey ephemeralPublicKey() {
    return ephemeralPublicKey;
  }

  /** nonce (12) || ciphertext (32) || tag (16). */
  public byte[] encryptedSessionKey() {
    return fields.encryptedSessionKey.clone();
  }

  /** nonce (12) || ciphertext || tag (16) of the serialized SealedQuery. */
  public byte[] encryptedQuery() {
    return fields.encryptedQuery.clone();
  }

  /** The 32-byte transcript digest (ENV-8): what the zero-knowledge proof signs. */
  public byte[] transcriptDigest() {
    return transcriptDigest.clone();
  }

  /** The buyer's side of the session: the response stream opener. */
  public BuyerSession session() {
    return session;
  }

  /** The wire envelope, with the credential proof attached. */
  public PrivacyEnvelope toProto(BuyerCommitment buyerCommitment, ZkProof zkProof) {
    return PrivacyEnvelope.newBuilder()
        .setHeader(header)
        .setEncryptedQuery(ByteString.copyFrom(fields.encryptedQuery))
        .setBuyerCommitment(Objects.requireNonNull(buyerCommitment, "buyerCommitment"))
        .setZkProof(Objects.requireNonNull(zkProof, "zkProof"))
        .setEncryptedSessionKey(ByteString.copyFrom(fields.encryptedSessionKey))
        .setEphemeralPublicKey(ByteString.copyFrom(ephemeralPublicKey.encodedView()))
        .build();
  }

  @Override
  public String toString() {
    return "SealedEnvelope(" + fields.sellerId + ", " + fields.sellerKeyId + ", " + fields.suite + ")";
  }
}
