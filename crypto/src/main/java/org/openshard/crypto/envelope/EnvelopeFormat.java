package org.openshard.crypto.envelope;

import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Hkdf;
import org.openshard.proto.v1.CipherSuite;

/**
 * The exact byte encodings and derivations of the privacy envelope (docs/protocol.md section 3,
 * rules ENV-4..ENV-9). Every function is pure; callers wipe the secrets they get back.
 */
final class EnvelopeFormat {
  static final int KEY_BYTES = 32;

  private EnvelopeFormat() {}

  /**
   * ENV-5: {@code lp("openshard.v1.envelope.aad") || u32(protocol_version) || u32(cipher_suite) ||
   * lp(seller_id) || lp(seller_key_id) || u64(timestamp_ms) || lp(session_id) ||
   * lp(ephemeral_public_key)}.
   */
  static byte[] associatedData(
      int protocolVersion,
      CipherSuite suite,
      byte[] sellerIdUtf8,
      byte[] sellerKeyIdUtf8,
      long timestampMs,
      byte[] sessionId,
      byte[] ephemeralPublicKey) {
    return ByteWriter.labelled(Labels.ENVELOPE_AAD)
        .u32(protocolVersion)
        .u32(suite.getNumber())
        .lp(sellerIdUtf8)
        .lp(sellerKeyIdUtf8)
        .u64(timestampMs)
        .lp(sessionId)
        .lp(ephemeralPublicKey)
        .toByteArray();
  }

  static byte[] associatedData(EnvelopeFields f) {
    return associatedData(
        f.protocolVersion, f.suite, f.sellerIdUtf8, f.sellerKeyIdUtf8, f.timestampMs, f.sessionId, f.ephemeralPublicKey);
  }

  /** ENV-4: {@code salt = lp(ephemeral_public_key) || lp(seller_public_key)}. */
  static byte[] kekSalt(byte[] ephemeralPublicKey, byte[] sellerPublicKey) {
    return new ByteWriter().lp(ephemeralPublicKey).lp(sellerPublicKey).toByteArray();
  }

  /**
   * ENV-4: {@code info = lp("openshard.v1.envelope.kek") || u32(protocol_version) ||
   * u32(cipher_suite) || lp(ephemeral_public_key) || lp(seller_public_key) || lp(seller_id) ||
   * lp(seller_key_id)}.
   */
  static byte[] kekInfo(
      int protocolVersion,
      CipherSuite suite,
      byte[] ephemeralPublicKey,
      byte[] sellerPublicKey,
      byte[] sellerIdUtf8,
      byte[] sellerKeyIdUtf8) {
    return ByteWriter.labelled(Labels.ENVELOPE_KEK)
        .u32(protocolVersion)
        .u32(suite.getNumber())
        .lp(ephemeralPublicKey)
        .lp(sellerPublicKey)
        .lp(sellerIdUtf8)
        .lp(sellerKeyIdUtf8)
        .toByteArray();
  }

  /** ENV-4: {@code KEK = HKDF-SHA256(ikm = ECDH secret, salt, info, 32)}. */
  static byte[] kek(
      byte[] sharedSecret,
      int protocolVersion,
      CipherSuite suite,
      byte[] ephemeralPublicKey,
      byte[] sellerPublicKey,
      byte[] sellerIdUtf8,
      byte[] sellerKeyIdUtf8)
      throws CryptoException {
    return Hkdf.sha256(
        sharedSecret,
        kekSalt(ephemeralPublicKey, sellerPublicKey),
        kekInfo(protocolVersion, suite, ephemeralPublicKey, sellerPublicKey, sellerIdUtf8, sellerKeyIdUtf8),
        KEY_BYTES);
  }

  /** ENV-6: {@code query_key = HKDF-SHA256(ikm = session_key, salt = session_id, info = lp("openshard.v1.envelope.query-key"), 32)}. */
  static byte[] queryKey(byte[] sessionKey, byte[] sessionId) throws CryptoException {
    return Hkdf.sha256(sessionKey, sessionId, queryKeyInfo(), KEY_BYTES);
  }

  static byte[] queryKeyInfo() {
    return ByteWriter.labelled(Labels.ENVELOPE_QUERY_KEY).toByteArray();
  }

  /**
   * ENV-8: {@code lp("openshard.v1.envelope.transcript") || u32(protocol_version) ||
   * u32(cipher_suite) || lp(ephemeral_public_key) || lp(seller_id) || lp(seller_key_id) ||
   * u64(timestamp_ms) || lp(session_id) || SHA-256(encrypted_session_key) ||
   * SHA-256(encrypted_query)}.
   */
  static byte[] transcriptPreimage(EnvelopeFields f) {
    return ByteWriter.labelled(Labels.ENVELOPE_TRANSCRIPT)
        .u32(f.protocolVersion)
        .u32(f.suite.getNumber())
        .lp(f.ephemeralPublicKey)
        .lp(f.sellerIdUtf8)
        .lp(f.sellerKeyIdUtf8)
        .u64(f.timestampMs)
        .lp(f.sessionId)
        .raw(Hashes.sha256(f.encryptedSessionKey))
        .raw(Hashes.sha256(f.encryptedQuery))
        .toByteArray();
  }

  /** ENV-8: {@code SHA-256(transcriptPreimage)}, 32 bytes. */
  static byte[] transcriptDigest(EnvelopeFields f) {
    return Hashes.sha256(transcriptPreimage(f));
  }
}
