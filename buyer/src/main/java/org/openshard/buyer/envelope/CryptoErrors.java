package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.ErrorCode;

/** {@link CryptoException} reasons as error codes (protocol.md ENV-11). */
public final class CryptoErrors {
  private CryptoErrors() {}

  public static ErrorCode codeOf(CryptoException.Reason r) {
    switch (r) {
      case UNSUPPORTED:
        return ErrorCode.UNSUPPORTED_VERSION;
      case INVALID_ENCODING:
        return ErrorCode.INVALID_ARGUMENT;
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
      default:
        return ErrorCode.INTERNAL;
    }
  }

  public static BuyerException toBuyer(CryptoException e) {
    return BuyerException.of(codeOf(e.reason()), e.getMessage());
  }
}
