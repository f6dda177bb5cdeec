package org.openshard.crypto.envelope;

import java.time.Instant;
import java.util.Objects;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.SealedQuery;

/**
 * The buyer's side of the privacy envelope (docs/protocol.md section 3): encrypts a SealedQuery to
 * a seller's verified encryption key under a fresh ephemeral key and a fresh random session key.
 */
public final class EnvelopeSealer {
  /** Largest serialized SealedQuery, in bytes (the gRPC default message cap). */
  public static final int MAX_QUERY_PLAINTEXT_BYTES = 4 * 1024 * 1024;

  private EnvelopeSealer() {}

  /**
   * Seals {@code query} for the seller of {@code sellerKey}.
   *
   * @param timestamp the buyer's clock; becomes {@code timestamp_ms} and must be inside the key's
   *     validity window
   * @throws CryptoException KEY_EXPIRED if the key is not valid at {@code timestamp};
   *     INVALID_ENCODING if the query is larger than {@link #MAX_QUERY_PLAINTEXT_BYTES} or the
   *     timestamp is before 1970
   */
  public static SealedEnvelope seal(VerifiedKeyAnnouncement sellerKey, SealedQuery query, Instant timestamp)
      throws CryptoException {
    return seal(sellerKey, Objects.requireNonNull(query, "query").toByteArray(), timestamp);
  }

  /** Like {@link #seal(VerifiedKeyAnnouncement, SealedQuery, Instant)} for an already serialized SealedQuery. */
  public static SealedEnvelope seal(VerifiedKeyAnnouncement sellerKey, byte[] serializedQuery, Instant timestamp)
      throws CryptoException {
    Objects.requireNonNull(sellerKey, "sellerKey");
    AgreementKey ephemeral = AgreementKey.generate(sellerKey.suite());
    return sealWith(
        sellerKey,
        serializedQuery,
        timestamp,
        ephemeral,
        SecureRandoms.bytes(EnvelopeFields.SESSION_KEY_BYTES),
        SecureRandoms.bytes(EnvelopeFields.SESSION_ID_BYTES),
        SecureRandoms.bytes(AesGcm.NONCE_BYTES),
        SecureRandoms.bytes(AesGcm.NONCE_BYTES));
  }

  /** Deterministic sealing for known-answer vectors: every random input comes from {@code inputs}. */
  static SealedEnvelope sealForTesting(
      VerifiedKeyAnnouncement sellerKey, byte[] serializedQuery, Instant timestamp, SealingInputs inputs)
      throws CryptoException {
    return sealWith(
        sellerKey,
        serializedQuery,
        timestamp,
        AgreementKey.fromBytes(sellerKey.suite(), inputs.ephemeralPrivateKey),
        inputs.sessionKey.clone(),
        inputs.sessionId.clone(),
        inputs.sessionKeyNonce.clone(),
        inputs.queryNonce.clone());
  }

  private static SealedEnvelope sealWith(
      VerifiedKeyAnnouncement sellerKey,
      byte[] query,
      Instant timestamp,
      AgreementKey ephemeral,
      byte[] sessionKey,
      byte[] sessionId,
      byte[] sessionKeyNonce,
      byte[] queryNonce)
      throws CryptoException {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(timestamp, "timestamp");
    byte[] sharedSecret = null;
    byte[] kek = null;
    byte[] queryKey = null;
    try {
      if (timestamp.isBefore(Instant.EPOCH)) {
        throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "timestamp is before 1970");
      }
      if (!sellerKey.isValidAt(timestamp)) {
        throw new CryptoException(
            CryptoException.Reason.KEY_EXPIRED,
            "seller key " + sellerKey.keyId() + " is not valid at " + timestamp);
      }
      if (query.length > MAX_QUERY_PLAINTEXT_BYTES) {
        throw new CryptoException(
            CryptoException.Reason.INVALID_ENCODING,
            "query is " + query.length + " bytes, limit " + MAX_QUERY_PLAINTEXT_BYTES);
      }
      int version = EnvelopeFields.PROTOCOL_VERSION;
      byte[] ephemeralPub = ephemeral.publicKey().toBytes();
      byte[] sellerPub = sellerKey.publicKey().encodedView();
      long timestampMs = timestamp.toEpochMilli();
      // The ids as the header will carry them; the fields object below re-encodes them identically.
      EnvelopeFields header =
          new EnvelopeFields(
              version, sellerKey.suite(), sellerKey.sellerId(), sellerKey.keyId(), timestampMs, sessionId, ephemeralPub,
              new byte[0], new byte[0]);

      sharedSecret = ephemeral.agree(sellerKey.publicKey());
      kek =
          EnvelopeFormat.kek(
              sharedSecret, version, header.suite, ephemeralPub, sellerPub, header.sellerIdUtf8, header.sellerKeyIdUtf8);
      byte[] aad = EnvelopeFormat.associatedData(header);
      byte[] encryptedSessionKey =
          Bytes.concat(sessionKeyNonce, AesGcm.of(kek).encrypt(sessionKeyNonce, sessionKey, aad));
      queryKey = EnvelopeFormat.queryKey(sessionKey, sessionId);
      byte[] encryptedQuery = Bytes.concat(queryNonce, AesGcm.of(queryKey).encrypt(queryNonce, query, aad));

      EnvelopeFields fields =
          new EnvelopeFields(
              version, header.suite, header.sellerId, header.sellerKeyId, timestampMs, sessionId, ephemeralPub,
              encryptedSessionKey, encryptedQuery);
      byte[] transcript = EnvelopeFormat.transcriptDigest(fields);
      SessionStreams streams = SessionStreams.derive(sessionKey, sessionId, transcript, header.sellerIdUtf8);
      return new SealedEnvelope(fields, ephemeral.publicKey(), transcript, new BuyerSession(streams));
    } finally {
      Bytes.wipe(sharedSecret);
      Bytes.wipe(kek);
      Bytes.wipe(queryKey);
      Bytes.wipe(sessionKey);
      ephemeral.erase();
    }
  }
}
