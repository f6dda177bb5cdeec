package org.openshard.buyer.envelope;

import org.openshard.buyer.BuyerException;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.ErrorCode;

/** {@link CryptoException} reasons as error codes (protocol.md ENV-11). */
public final class CryptoErrors {
  private CryptoErrors() {}

  public static ErrorCode codeOf(CryptoException.Reason r) {
    return r.errorCode();
  }

  public static BuyerException toBuyer(CryptoException e) {
    return BuyerException.of(codeOf(e.reason()), e.getMessage());
  }
}
