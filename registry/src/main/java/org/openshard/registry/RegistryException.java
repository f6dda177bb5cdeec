package org.openshard.registry;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.runtime.ErrorCodes;
import org.openshard.runtime.Errors;

/**
 * A request the registry refuses, with the protocol {@link ErrorCode}, its gRPC status (the shared
 * table, {@link ErrorCodes}) and the offending field. Messages are safe to log and to return to the caller.
 */
public final class RegistryException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Status.Code statusCode;
  private final ErrorCode errorCode;
  private final String field;
  private final boolean retryable;

  /** A refusal with {@code errorCode}'s status from the shared table (protocol.md ERR-3). */
  public RegistryException(ErrorCode errorCode, String field, String message) {
    this(ErrorCodes.statusFor(errorCode), errorCode, field, message, false);
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
    return new RegistryException(ErrorCode.INVALID_ARGUMENT, field, message);
  }

  /** A size or count limit of the request ({@code INVALID_ARGUMENT}). */
  public static RegistryException limit(String field, String message) {
    return new RegistryException(ErrorCode.LIMIT_EXCEEDED, field, message);
  }

  /**
   * A capacity of the registry the request itself does not break (protocol.md ERR-3b):
   * LIMIT_EXCEEDED with {@link ErrorCodes#CAPACITY_STATUS}.
   */
  public static RegistryException capacity(String field, String message) {
    return new RegistryException(ErrorCodes.CAPACITY_STATUS, ErrorCode.LIMIT_EXCEEDED, field, message, false);
  }

  public static RegistryException signature(String field, String message) {
    return new RegistryException(ErrorCode.SIGNATURE_INVALID, field, message);
  }

  public static RegistryException clockSkew(String field, String message) {
    return new RegistryException(ErrorCode.CLOCK_SKEW, field, message);
  }

  public static RegistryException stale(String field, String message) {
    return new RegistryException(ErrorCode.STALE_MESSAGE, field, message);
  }

  public static RegistryException unknownPeer(String message) {
    return new RegistryException(ErrorCode.UNKNOWN_PEER, "peer_id", message);
  }

  public static RegistryException badToken(String message) {
    return new RegistryException(ErrorCode.BAD_HEARTBEAT_TOKEN, "heartbeat_token", message);
  }

  public static RegistryException storeUnavailable(String message) {
    return new RegistryException(
        ErrorCodes.statusFor(ErrorCode.STORE_UNAVAILABLE), ErrorCode.STORE_UNAVAILABLE, "", message, true);
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
