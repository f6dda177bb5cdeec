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
    CLOCK_SKEW,
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
