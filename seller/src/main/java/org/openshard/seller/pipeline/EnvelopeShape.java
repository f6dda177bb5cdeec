package org.openshard.seller.pipeline;

import java.time.Clock;
import java.time.Duration;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PrivacyEnvelope;

/**
 * Stateless checks of an envelope's cleartext before any cryptography: protocol version, suite,
 * addressee, session id, timestamp window and sizes. They touch no store, so running them first
 * keeps the pipeline order (nothing is stored before the proof verifies).
 */
public final class EnvelopeShape {
  public static final int PROTOCOL_VERSION = 1;
  public static final int SESSION_ID_BYTES = 16;
  /** Largest encrypted query accepted (the gRPC message limit is 4 MiB). */
  public static final int MAX_ENCRYPTED_QUERY_BYTES = 4 * 1024 * 1024 - 64 * 1024;

  private final String sellerId;
  private final Clock clock;
  private final Duration maxSkew;

  public EnvelopeShape(String sellerId, Clock clock, Duration maxSkew) {
    this.sellerId = sellerId;
    this.clock = clock;
    this.maxSkew = maxSkew;
  }

  public void check(PrivacyEnvelope envelope) throws StageException {
    if (!envelope.hasHeader()) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "header", "the envelope has no header");
    }
    EnvelopeHeader h = envelope.getHeader();
    if (h.getProtocolVersion() != PROTOCOL_VERSION) {
      throw StageException.of(
          ErrorCode.UNSUPPORTED_VERSION, "header.protocol_version", "protocol version " + h.getProtocolVersion()
              + " is not supported; this seller accepts " + PROTOCOL_VERSION);
    }
    if (h.getCipherSuite() == CipherSuite.CIPHER_SUITE_UNSPECIFIED || h.getCipherSuite() == CipherSuite.UNRECOGNIZED) {
      throw StageException.of(ErrorCode.UNSUPPORTED_VERSION, "header.cipher_suite", "the cipher suite is not supported");
    }
    if (!sellerId.equalsIgnoreCase(h.getSellerId())) {
      // As ENV-13 (UNKNOWN_KEY), but before the proof so a misaddressed envelope costs nothing.
      throw StageException.of(ErrorCode.UNKNOWN_SELLER_KEY, "header.seller_id", "the envelope is addressed to another seller");
    }
    if (h.getSessionId().size() != SESSION_ID_BYTES) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "header.session_id", "session id must be " + SESSION_ID_BYTES + " bytes");
    }
    long skew = Math.abs(clock.millis() - h.getTimestampMs());
    if (skew > maxSkew.toMillis()) {
      throw StageException.of(
          ErrorCode.CLOCK_SKEW, "header.timestamp_ms", "the envelope timestamp is more than " + maxSkew.toSeconds()
              + " s from the seller's clock");
    }
    if (envelope.getEncryptedQuery().isEmpty()) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "encrypted_query", "the encrypted query is empty");
    }
    if (envelope.getEncryptedQuery().size() > MAX_ENCRYPTED_QUERY_BYTES) {
      throw StageException.of(ErrorCode.LIMIT_EXCEEDED, "encrypted_query", "the encrypted query is larger than "
          + MAX_ENCRYPTED_QUERY_BYTES + " bytes");
    }
    if (!envelope.hasZkProof()) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "zk_proof", "the envelope has no proof");
    }
    if (!envelope.hasBuyerCommitment()) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "buyer_commitment", "the envelope has no buyer commitment");
    }
    if (envelope.getEphemeralPublicKey().isEmpty() || envelope.getEncryptedSessionKey().isEmpty()) {
      throw StageException.of(
          ErrorCode.INVALID_ARGUMENT,
          envelope.getEphemeralPublicKey().isEmpty() ? "ephemeral_public_key" : "encrypted_session_key",
          "the envelope lacks its key exchange fields");
    }
  }
}
