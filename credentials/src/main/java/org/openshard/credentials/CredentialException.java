package org.openshard.credentials;

import org.openshard.proto.v1.ErrorCode;

/**
 * A credential, proof, anchor set or enrolment was rejected. {@link #reason()} says which check
 * failed and maps to a wire {@link ErrorCode}; {@link #field()} names the offending proto field when
 * there is one. Messages never contain secrets.
 */
public final class CredentialException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What failed. */
  public enum Reason {
    /** A field is missing, malformed, out of range or inconsistent with another field. */
    INVALID_ARGUMENT(ErrorCode.INVALID_ARGUMENT),
    /** A size or count limit was exceeded (ring size, anchor-set size). */
    LIMIT_EXCEEDED(ErrorCode.LIMIT_EXCEEDED),
    /** A well-formed proof (ring signature or Schnorr proof) does not verify. */
    PROOF_INVALID(ErrorCode.PROOF_INVALID),
    /** The commitment names an anchor-set epoch or digest the verifier does not trust. */
    UNKNOWN_ANCHOR_SET(ErrorCode.UNKNOWN_ANCHOR_SET),
    /** The nullifier scope names another seller, an epoch not accepted now, or a slot ≥ K. */
    SCOPE_INVALID(ErrorCode.SCOPE_INVALID),
    /** A timestamp (anchor enrolment) is outside the receiver's skew window. */
    CLOCK_SKEW(ErrorCode.CLOCK_SKEW);

    private final ErrorCode errorCode;

    Reason(ErrorCode errorCode) {
      this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
      return errorCode;
    }
  }

  private final Reason reason;
  private final String field;

  public CredentialException(Reason reason, String field, String message) {
    super(reason + (field == null ? "" : " (" + field + ")") + ": " + message);
    this.reason = reason;
    this.field = field;
  }

  public CredentialException(Reason reason, String message) {
    this(reason, null, message);
  }

  public Reason reason() {
    return reason;
  }

  /** The wire error code for this failure. */
  public ErrorCode errorCode() {
    return reason.errorCode();
  }

  /** The offending field, dot-joined (e.g. "zk_proof.responses.3"), or null. */
  public String field() {
    return field;
  }
}
