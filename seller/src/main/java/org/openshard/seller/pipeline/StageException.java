package org.openshard.seller.pipeline;

import java.util.Objects;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/**
 * A request failed at a pipeline stage. Carries the wire error ({@link ErrorCode}, a message that
 * is safe to log, the offending field and whether a retry elsewhere may succeed). Messages never
 * contain prompts, completions, keys or tokens.
 */
public final class StageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String field;
  private final boolean retryable;
  private final java.util.Map<String, String> metadata;

  private StageException(
      ErrorCode code, String message, String field, boolean retryable, Throwable cause, java.util.Map<String, String> metadata) {
    super(message, cause, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.field = field == null ? "" : field;
    this.retryable = retryable;
    this.metadata = java.util.Map.copyOf(metadata);
  }

  private StageException(ErrorCode code, String message, String field, boolean retryable, Throwable cause) {
    this(code, message, field, retryable, cause, java.util.Map.of());
  }

  /** The wire error as is (e.g. one a payments or credentials component built). */
  public static StageException of(ErrorDetail detail) {
    return new StageException(
        detail.getCode(), detail.getMessage(), detail.getField(), detail.getRetryable(), null, detail.getMetadataMap());
  }

  /** An error with the code's default retryability. */
  public static StageException of(ErrorCode code, String message) {
    return new StageException(code, message, "", defaultRetryable(code), null);
  }

  /** An error naming the offending field. */
  public static StageException of(ErrorCode code, String field, String message) {
    return new StageException(code, message, field, defaultRetryable(code), null);
  }

  /** An error with a cause (kept for debugging; its message is not sent to the buyer). */
  public static StageException of(ErrorCode code, String message, Throwable cause) {
    return new StageException(code, message, "", defaultRetryable(code), cause);
  }

  /** A copy with explicit retryability. */
  public StageException withRetryable(boolean retry) {
    return new StageException(code, getMessage(), field, retry, getCause(), metadata);
  }

  public ErrorCode code() {
    return code;
  }

  public String field() {
    return field;
  }

  public boolean retryable() {
    return retryable;
  }

  public ErrorDetail toDetail() {
    return Errors.detail(code, getMessage(), field, retryable, metadata);
  }

  /**
   * Whether the same request may succeed at another seller (or, for key errors, after the buyer
   * refreshes the seller's keys).
   */
  static boolean defaultRetryable(ErrorCode code) {
    switch (code) {
      case OVERLOADED:
      case UPSTREAM_ERROR:
      case UPSTREAM_TIMEOUT:
      case SHUTTING_DOWN:
      case STORE_UNAVAILABLE:
      case UNKNOWN_SELLER_KEY:
      case SELLER_KEY_EXPIRED:
      case PAYMENT_UNSUPPORTED:
      case UNKNOWN_SERVICE:
        return true;
      default:
        return false;
    }
  }

  @Override
  public String toString() {
    return "StageException(" + code + (field.isEmpty() ? "" : " at " + field) + ": " + getMessage() + ")";
  }
}
