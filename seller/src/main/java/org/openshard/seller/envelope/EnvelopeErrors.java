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

  /**
   * True if decryption succeeded but the plaintext is not a SealedQuery (the request's fault:
   * INVALID_QUERY), as the envelope opener and the session resumption both report it.
   */
  public static boolean isUnparsableQuery(CryptoException e) {
    return e.reason() == CryptoException.Reason.INVALID_ENCODING && e.getMessage().contains("SealedQuery");
  }

  /** INVALID_QUERY at {@code field}: the decrypted query is not a SealedQuery. */
  public static StageException unparsableQuery(String field) {
    return StageException.of(ErrorCode.INVALID_QUERY, field, "the decrypted query is not a SealedQuery");
  }
}
