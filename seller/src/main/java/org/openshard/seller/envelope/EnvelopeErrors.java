package org.openshard.seller.envelope;

import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.StageException;

/** Maps envelope and stream failures to wire errors (docs/protocol.md ENV-11). */
public final class EnvelopeErrors {
  private EnvelopeErrors() {}

  public static ErrorCode codeFor(CryptoException.Reason reason) {
    switch (reason) {
      case UNSUPPORTED:
        return ErrorCode.UNSUPPORTED_VERSION;
      case UNKNOWN_KEY:
        return ErrorCode.UNKNOWN_SELLER_KEY;
      case KEY_EXPIRED:
        return ErrorCode.SELLER_KEY_EXPIRED;
      case CLOCK_SKEW:
        return ErrorCode.CLOCK_SKEW;
      case INVALID_PUBLIC_KEY:
        return ErrorCode.INVALID_PUBLIC_KEY;
      case DECRYPTION_FAILED:
        return ErrorCode.DECRYPTION_FAILED;
      case INVALID_SIGNATURE:
        return ErrorCode.SIGNATURE_INVALID;
      case STREAM_INTEGRITY:
        return ErrorCode.STREAM_INTEGRITY;
      case INVALID_ENCODING:
      case INVALID_PRIVATE_KEY:
      default:
        return ErrorCode.INVALID_ARGUMENT;
    }
  }

  /** The stage error for a crypto failure; its message is the crypto module's (never secret). */
  public static StageException toStage(CryptoException e) {
    return StageException.of(codeFor(e.reason()), e.getMessage());
  }
}
