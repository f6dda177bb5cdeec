package org.openshard.crypto;

import java.security.GeneralSecurityException;

/**
 * A cryptographic operation failed. {@link #reason()} says which check failed, so callers can map it
 * to a protocol error without parsing messages. Messages never contain key material or plaintext.
 */
public final class CryptoException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Reason {
    /** A public key is malformed, of the wrong length, not on the curve, the identity, or of small order. */
    INVALID_PUBLIC_KEY,
    /** A private key or scalar is out of range. */
    INVALID_PRIVATE_KEY,
    /** An input has the wrong length or encoding. */
    INVALID_ENCODING,
    /** AEAD authentication failed: the ciphertext, associated data or key is wrong. */
    DECRYPTION_FAILED,
    /** A signature is malformed or does not verify. */
    INVALID_SIGNATURE,
    /** A key announcement is outside its validity window. */
    KEY_EXPIRED,
    /** The key id is not one this party holds. */
    UNKNOWN_KEY,
    /** A stream chunk was reordered, duplicated, dropped, or the stream was truncated. */
    STREAM_INTEGRITY,
    /** The cipher suite or protocol version is not supported. */
    UNSUPPORTED,
    /** A timestamp is too far from the receiver's clock (maps to ErrorCode.CLOCK_SKEW). */
    CLOCK_SKEW;

    /**
     * The protocol error code for this failure (docs/protocol.md ENV-11). A bad private key is a
     * local fault, never the peer's, so it maps to {@code INTERNAL}.
     */
    public org.openshard.proto.v1.ErrorCode errorCode() {
      switch (this) {
        case UNSUPPORTED:
          return org.openshard.proto.v1.ErrorCode.UNSUPPORTED_VERSION;
        case INVALID_ENCODING:
          return org.openshard.proto.v1.ErrorCode.INVALID_ARGUMENT;
        case UNKNOWN_KEY:
          return org.openshard.proto.v1.ErrorCode.UNKNOWN_SELLER_KEY;
        case KEY_EXPIRED:
          return org.openshard.proto.v1.ErrorCode.SELLER_KEY_EXPIRED;
        case CLOCK_SKEW:
          return org.openshard.proto.v1.ErrorCode.CLOCK_SKEW;
        case INVALID_PUBLIC_KEY:
          return org.openshard.proto.v1.ErrorCode.INVALID_PUBLIC_KEY;
        case DECRYPTION_FAILED:
          return org.openshard.proto.v1.ErrorCode.DECRYPTION_FAILED;
        case INVALID_SIGNATURE:
          return org.openshard.proto.v1.ErrorCode.SIGNATURE_INVALID;
        case STREAM_INTEGRITY:
          return org.openshard.proto.v1.ErrorCode.STREAM_INTEGRITY;
        case INVALID_PRIVATE_KEY:
        default:
          return org.openshard.proto.v1.ErrorCode.INTERNAL;
      }
    }
  }

  private final Reason reason;

  public CryptoException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public CryptoException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
