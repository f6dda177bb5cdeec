package org.openshard.crypto.envelope;

import java.nio.charset.StandardCharsets;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.PrivacyEnvelope;

/**
 * The cleartext fields of an envelope that the cryptography binds, with every size checked
 * (rule ENV-12). Built by the sealer from its own values, or parsed from a received envelope before
 * any key is touched. Arrays are owned by this object and never handed out.
 */
final class EnvelopeFields {
  static final int PROTOCOL_VERSION = 1;
  static final int SESSION_ID_BYTES = 16;
  static final int SESSION_KEY_BYTES = 32;
  static final int ENCRYPTED_SESSION_KEY_BYTES = AesGcm.NONCE_BYTES + SESSION_KEY_BYTES + AesGcm.TAG_BYTES;
  static final int MIN_ENCRYPTED_QUERY_BYTES = AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES;
  /** Longest seller_id or seller_key_id, in UTF-8 bytes (ids are 42 and at most 64 characters). */
  static final int MAX_ID_BYTES = 64;

  final int protocolVersion;
  final CipherSuite suite;
  final String sellerId;
  final String sellerKeyId;
  /** The exact wire bytes of the two ids (what the encodings bind). */
  final byte[] sellerIdUtf8;
  final byte[] sellerKeyIdUtf8;
  final long timestampMs;
  final byte[] sessionId;
  final byte[] ephemeralPublicKey;
  final byte[] encryptedSessionKey;
  final byte[] encryptedQuery;

  /** The sealer's constructor: ids are encoded as UTF-8. */
  EnvelopeFields(
      int protocolVersion,
      CipherSuite suite,
      String sellerId,
      String sellerKeyId,
      long timestampMs,
      byte[] sessionId,
      byte[] ephemeralPublicKey,
      byte[] encryptedSessionKey,
      byte[] encryptedQuery) {
    this(
        protocolVersion,
        suite,
        sellerId,
        sellerKeyId,
        sellerId.getBytes(StandardCharsets.UTF_8),
        sellerKeyId.getBytes(StandardCharsets.UTF_8),
        timestampMs,
        sessionId,
        ephemeralPublicKey,
        encryptedSessionKey,
        encryptedQuery);
  }

  private EnvelopeFields(
      int protocolVersion,
      CipherSuite suite,
      String sellerId,
      String sellerKeyId,
      byte[] sellerIdUtf8,
      byte[] sellerKeyIdUtf8,
      long timestampMs,
      byte[] sessionId,
      byte[] ephemeralPublicKey,
      byte[] encryptedSessionKey,
      byte[] encryptedQuery) {
    this.protocolVersion = protocolVersion;
    this.suite = suite;
    this.sellerId = sellerId;
    this.sellerKeyId = sellerKeyId;
    this.sellerIdUtf8 = sellerIdUtf8;
    this.sellerKeyIdUtf8 = sellerKeyIdUtf8;
    this.timestampMs = timestampMs;
    this.sessionId = sessionId;
    this.ephemeralPublicKey = ephemeralPublicKey;
    this.encryptedSessionKey = encryptedSessionKey;
    this.encryptedQuery = encryptedQuery;
  }

  /**
   * Structural checks of a received envelope, in this order: header present, protocol version,
   * cipher suite, id lengths, timestamp sign, session id, ephemeral key length, encrypted session key
   * length, encrypted query length. No key material is used.
   *
   * @throws CryptoException UNSUPPORTED (version, suite), INVALID_PUBLIC_KEY (ephemeral key
   *     length), INVALID_ENCODING (anything else)
   */
  static EnvelopeFields parse(PrivacyEnvelope env, int maxQueryPlaintextBytes) throws CryptoException {
    if (env == null || !env.hasHeader()) {
      throw invalid("envelope has no header");
    }
    EnvelopeHeader h = env.getHeader();
    if (h.getProtocolVersion() != PROTOCOL_VERSION) {
      throw new CryptoException(
          CryptoException.Reason.UNSUPPORTED,
          "protocol version " + Integer.toUnsignedString(h.getProtocolVersion()) + " is not supported");
    }
    CipherSuite suite = Suites.requireNumber(h.getCipherSuiteValue());
    if (h.getSellerIdBytes().size() > MAX_ID_BYTES || h.getSellerKeyIdBytes().size() > MAX_ID_BYTES) {
      throw invalid("seller_id or seller_key_id is longer than " + MAX_ID_BYTES + " bytes");
    }
    if (h.getTimestampMs() < 0) {
      throw invalid("timestamp_ms is negative");
    }
    if (h.getSessionId().size() != SESSION_ID_BYTES) {
      throw invalid("session_id must be " + SESSION_ID_BYTES + " bytes, was " + h.getSessionId().size());
    }
    int keyBytes = Suites.publicKeyBytes(suite);
    if (env.getEphemeralPublicKey().size() != keyBytes) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_PUBLIC_KEY,
          "ephemeral_public_key must be " + keyBytes + " bytes, was " + env.getEphemeralPublicKey().size());
    }
    if (env.getEncryptedSessionKey().size() != ENCRYPTED_SESSION_KEY_BYTES) {
      throw invalid(
          "encrypted_session_key must be " + ENCRYPTED_SESSION_KEY_BYTES + " bytes, was "
              + env.getEncryptedSessionKey().size());
    }
    long maxQuery = (long) MIN_ENCRYPTED_QUERY_BYTES + maxQueryPlaintextBytes;
    int q = env.getEncryptedQuery().size();
    if (q < MIN_ENCRYPTED_QUERY_BYTES || q > maxQuery) {
      throw invalid("encrypted_query must be " + MIN_ENCRYPTED_QUERY_BYTES + ".." + maxQuery + " bytes, was " + q);
    }
    return new EnvelopeFields(
        h.getProtocolVersion(),
        suite,
        h.getSellerId(),
        h.getSellerKeyId(),
        h.getSellerIdBytes().toByteArray(),
        h.getSellerKeyIdBytes().toByteArray(),
        h.getTimestampMs(),
        h.getSessionId().toByteArray(),
        env.getEphemeralPublicKey().toByteArray(),
        env.getEncryptedSessionKey().toByteArray(),
        env.getEncryptedQuery().toByteArray());
  }

  private static CryptoException invalid(String message) {
    return new CryptoException(CryptoException.Reason.INVALID_ENCODING, message);
  }
}
