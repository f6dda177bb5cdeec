package org.openshard.crypto.envelope;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;

/**
 * The seller's side of the privacy envelope (docs/protocol.md section 3, rules ENV-10..ENV-14).
 * The seller first computes {@link #transcriptDigest(PrivacyEnvelope)} and verifies the credential
 * proof over it, then calls {@link #open}. Thread-safe.
 */
public final class EnvelopeOpener {
  /** Default tolerated distance between the envelope's timestamp and the seller's clock. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(2);

  private final String sellerId;
  private final byte[] sellerIdUtf8;
  private final SellerKeyRing keys;
  private final long maxClockSkewMs;
  private final int maxQueryPlaintextBytes;

  /** With {@link #DEFAULT_MAX_CLOCK_SKEW} and {@link EnvelopeSealer#MAX_QUERY_PLAINTEXT_BYTES}. */
  public EnvelopeOpener(String sellerId, SellerKeyRing keys) throws CryptoException {
    this(sellerId, keys, DEFAULT_MAX_CLOCK_SKEW, EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES);
  }

  /**
   * @param sellerId this seller's peer id (lowercase "0x" + 40 hex)
   * @param maxQueryPlaintextBytes a tighter query cap, at most {@link
   *     EnvelopeSealer#MAX_QUERY_PLAINTEXT_BYTES}
   * @throws CryptoException INVALID_ENCODING if {@code sellerId} is not a canonical peer id
   */
  public EnvelopeOpener(String sellerId, SellerKeyRing keys, Duration maxClockSkew, int maxQueryPlaintextBytes)
      throws CryptoException {
    this.sellerId = Identifiers.requirePeerId(sellerId);
    this.sellerIdUtf8 = sellerId.getBytes(StandardCharsets.UTF_8);
    this.keys = Objects.requireNonNull(keys, "keys");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must not be negative");
    }
    this.maxClockSkewMs = maxClockSkew.toMillis();
    if (maxQueryPlaintextBytes < 0 || maxQueryPlaintextBytes > EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES) {
      throw new IllegalArgumentException("query cap must be 0.." + EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES);
    }
    this.maxQueryPlaintextBytes = maxQueryPlaintextBytes;
  }

  public String sellerId() {
    return sellerId;
  }

  /**
   * The transcript digest (ENV-8) of a received envelope, computed from its cleartext fields
   * without any key: the seller verifies the credential proof over it before decrypting. Checks the
   * envelope's shape first (ENV-12).
   *
   * @return 32 bytes
   * @throws CryptoException UNSUPPORTED (version, suite), INVALID_PUBLIC_KEY (ephemeral key length),
   *     INVALID_ENCODING (missing header, other sizes)
   */
  public static byte[] transcriptDigest(PrivacyEnvelope envelope) throws CryptoException {
    return EnvelopeFormat.transcriptDigest(
        EnvelopeFields.parse(envelope, EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES));
  }

  /**
   * Checks and decrypts an envelope, in the order of ENV-13: shape (version, suite, sizes), seller
   * id, key id, key window, clock skew, ephemeral key, then the session key and the query.
   *
   * @throws CryptoException UNSUPPORTED (version or suite); INVALID_ENCODING (sizes, or the decrypted
   *     query is not a SealedQuery); UNKNOWN_KEY (other seller, unknown, mismatched or erased key);
   *     KEY_EXPIRED (timestamp outside the key's window); CLOCK_SKEW; INVALID_PUBLIC_KEY;
   *     DECRYPTION_FAILED (any authentication failure)
   */
  public OpenedEnvelope open(PrivacyEnvelope envelope, Instant now) throws CryptoException {
    Objects.requireNonNull(now, "now");
    EnvelopeFields f = EnvelopeFields.parse(envelope, maxQueryPlaintextBytes);
    if (!Arrays.equals(f.sellerIdUtf8, sellerIdUtf8)) {
      throw new CryptoException(CryptoException.Reason.UNKNOWN_KEY, "envelope is addressed to another seller");
    }
    SellerEncryptionKey key = keys.lookup(f.sellerKeyId, now);
    if (!Arrays.equals(f.sellerKeyIdUtf8, key.keyId().getBytes(StandardCharsets.UTF_8)) || key.suite() != f.suite) {
      throw new CryptoException(
          CryptoException.Reason.UNKNOWN_KEY, "seller key " + key.keyId() + " is not a " + f.suite + " key");
    }
    Instant timestamp = Instant.ofEpochMilli(f.timestampMs);
    if (!key.isValidAt(timestamp)) {
      throw new CryptoException(
          CryptoException.Reason.KEY_EXPIRED,
          "seller key " + key.keyId() + " is valid " + key.notBefore() + " .. " + key.notAfter()
              + ", envelope is from " + timestamp);
    }
    long skew = Math.abs(now.toEpochMilli() - f.timestampMs);
    if (skew > maxClockSkewMs) {
      throw new CryptoException(
          CryptoException.Reason.CLOCK_SKEW, "envelope timestamp is " + skew + " ms from now, limit " + maxClockSkewMs);
    }
    EncryptionPublicKey ephemeral = EncryptionPublicKey.fromBytes(f.suite, f.ephemeralPublicKey);

    byte[] sharedSecret = null;
    byte[] kek = null;
    byte[] sessionKey = null;
    byte[] queryKey = null;
    byte[] query = null;
    try {
      sharedSecret = key.agree(ephemeral);
      kek =
          EnvelopeFormat.kek(
              sharedSecret, f.protocolVersion, f.suite, f.ephemeralPublicKey, key.publicKey().encodedView(),
              f.sellerIdUtf8, f.sellerKeyIdUtf8);
      byte[] aad = EnvelopeFormat.associatedData(f);
      sessionKey = decrypt(kek, f.encryptedSessionKey, aad, "encrypted_session_key");
      if (sessionKey.length != EnvelopeFields.SESSION_KEY_BYTES) {
        throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, "session key has the wrong length");
      }
      queryKey = EnvelopeFormat.queryKey(sessionKey, f.sessionId);
      query = decrypt(queryKey, f.encryptedQuery, aad, "encrypted_query");
      SealedQuery sealedQuery;
      try {
        sealedQuery = SealedQuery.parseFrom(query);
      } catch (InvalidProtocolBufferException e) {
        throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "decrypted query is not a SealedQuery");
      }
      byte[] transcript = EnvelopeFormat.transcriptDigest(f);
      SessionStreams streams = SessionStreams.derive(sessionKey, f.sessionId, transcript, f.sellerIdUtf8);
      return new OpenedEnvelope(envelope.getHeader(), sealedQuery, transcript, new SellerSession(streams));
    } finally {
      Bytes.wipe(sharedSecret);
      Bytes.wipe(kek);
      Bytes.wipe(sessionKey);
      Bytes.wipe(queryKey);
      Bytes.wipe(query);
    }
  }

  private static byte[] decrypt(byte[] key, byte[] sealed, byte[] aad, String field) throws CryptoException {
    try {
      return AesGcm.of(key).open(sealed, aad);
    } catch (CryptoException e) {
      throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, field + " failed authentication");
    }
  }
}
