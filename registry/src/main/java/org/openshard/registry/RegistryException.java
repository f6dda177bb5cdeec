package org.openshard.registry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.runtime.Errors;

/**
 * A request the registry refuses, with the gRPC status code, the protocol {@link ErrorCode} and the
 * offending field. Messages are safe to log and to return to the caller.
 */
public final class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Status.Code statusCode;
  private final ErrorCode errorCode;
  private final String field;
  private final boolean retryable;

  public RegistryException(Status.Code statusCode, ErrorCode errorCode, String field, String message) {
    this(statusCode, errorCode, field, message, false);
  }

  private RegistryException(
      Status.Code statusCode, ErrorCode errorCode, String field, String message, boolean retryable) {
    super(message);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.field = field == null ? "" : field;
    this.retryable = retryable;
  }

  public static RegistryException invalid(String field, String message) {
    return new RegistryException(Status.Code.INVALID_ARGUMENT, ErrorCode.INVALID_ARGUMENT, field, message);
  }

  public static RegistryException limit(String field, String message) {
    return new RegistryException(Status.Code.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED, field, message);
  }

  public static RegistryException signature(String field, String message) {
    return new RegistryException(Status.Code.UNAUTHENTICATED, ErrorCode.SIGNATURE_INVALID, field, message);
  }

  public static RegistryException clockSkew(String field, String message) {
    return new RegistryException(Status.Code.INVALID_ARGUMENT, ErrorCode.CLOCK_SKEW, field, message);
  }

  public static RegistryException stale(String field, String message) {
    return new RegistryException(Status.Code.INVALID_ARGUMENT, ErrorCode.STALE_MESSAGE, field, message);
  }

  public static RegistryException unknownPeer(String message) {
    return new RegistryException(Status.Code.NOT_FOUND, ErrorCode.UNKNOWN_PEER, "peer_id", message);
  }

  public static RegistryException badToken(String message) {
    return new RegistryException(Status.Code.UNAUTHENTICATED, ErrorCode.BAD_HEARTBEAT_TOKEN, "heartbeat_token", message);
  }

  public static RegistryException storeUnavailable(String message) {
    return new RegistryException(Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE, "", message, true);
  }

  public Status.Code statusCode() {
    return statusCode;
  }

  public ErrorCode errorCode() {
    return errorCode;
  }

  public String field() {
    return field;
  }

  /** The gRPC form: status + {@code ErrorDetail}. */
  public StatusRuntimeException toStatus() {
    return Errors.status(statusCode, errorCode, getMessage(), field, retryable);
  }
}
