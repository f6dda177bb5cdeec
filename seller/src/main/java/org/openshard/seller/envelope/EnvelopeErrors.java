package org.openshard.seller.envelope;

import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.StageException;

/** Maps envelope and stream failures to wire errors (docs/protocol.md ENV-11). */
public final class EnvelopeErrors {
  private EnvelopeErrors() {}

  public static ErrorCode codeFor(CryptoException.Reason reason) {
    return reason.errorCode();
  }

  /** The stage error for a crypto failure; its message is the crypto module's (never secret). */
  public static StageException toStage(CryptoException e) {
    return StageException.of(codeFor(e.reason()), e.getMessage());
  }
}
