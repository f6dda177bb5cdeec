package org.openshard.buyer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/**
 * A typed buyer failure: an {@link ErrorCode}, a message that is safe to log (never prompts,
 * completions or secrets), the offending field if any, whether another seller might succeed, and
 * small key/value context such as {@code peer_id}.
 */
public final class BuyerException extends Exception {
  private final ErrorCode code;
  private final String field;
  private final boolean retryable;
  private final Map<String, String> metadata;

  private BuyerException(ErrorCode code, String message, String field, boolean retryable, Map<String, String> metadata, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.field = field == null ? "" : field;
    this.retryable = retryable;
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public static BuyerException of(ErrorCode code, String message) {
    return new BuyerException(code, message, "", false, Map.of(), null);
  }

  public static BuyerException retryable(ErrorCode code, String message) {
    return new BuyerException(code, message, "", true, Map.of(), null);
  }

  public static BuyerException invalidArgument(String field, String message) {
    return new BuyerException(ErrorCode.INVALID_ARGUMENT, message, field, false, Map.of(), null);
  }

  /** The failure a seller reported (its code, message, field and retryable flag are kept). */
  public static BuyerException fromDetail(ErrorDetail d) {
    ErrorCode code = d.getCode() == ErrorCode.UNRECOGNIZED ? ErrorCode.INTERNAL : d.getCode();
    return new BuyerException(code, d.getMessage(), d.getField(), d.getRetryable(), d.getMetadataMap(), null);
  }

  public BuyerException withCause(Throwable cause) {
    return new BuyerException(code, getMessage(), field, retryable, metadata, cause);
  }

  public BuyerException withMetadata(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new BuyerException(code, getMessage(), field, retryable, m, getCause());
  }

  public BuyerException withRetryable(boolean value) {
    return new BuyerException(code, getMessage(), field, value, metadata, getCause());
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

  public Map<String, String> metadata() {
    return metadata;
  }

  public ErrorDetail toDetail() {
    return Errors.detail(code, getMessage(), field, retryable, metadata);
  }

  @Override
  public String toString() {
    return "BuyerException{" + code + ": " + getMessage() + (field.isEmpty() ? "" : " (field " + field + ")") + "}";
  }
}
