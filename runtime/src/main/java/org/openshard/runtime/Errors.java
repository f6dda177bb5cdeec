package org.openshard.runtime;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.Optional;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;

/**
 * Typed gRPC errors: every error a server returns is a gRPC status whose description says what
 * failed and whose {@code google.rpc.Status} details carry one {@link ErrorDetail} with the
 * machine-readable {@link ErrorCode}. Clients switch on {@link #detail(Throwable)}, never on the
 * message.
 */
public final class Errors {
  private Errors() {}

  /** A status with an {@link ErrorDetail}; {@code field} may be null or empty. Not retryable. */
  public static StatusRuntimeException status(Status.Code code, ErrorCode errorCode, String message, String field) {
    return status(code, detail(errorCode, message, field, false, Map.of()));
  }

  /** Like {@link #status(Status.Code, ErrorCode, String, String)} with an explicit retryable flag. */
  public static StatusRuntimeException status(
      Status.Code code, ErrorCode errorCode, String message, String field, boolean retryable) {
    return status(code, detail(errorCode, message, field, retryable, Map.of()));
  }

  /** A status carrying a prebuilt detail; the description is the detail's message. */
  public static StatusRuntimeException status(Status.Code code, ErrorDetail detail) {
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("an error status cannot be OK");
    }
    com.google.rpc.Status proto =
        com.google.rpc.Status.newBuilder()
            .setCode(code.value())
            .setMessage(detail.getMessage())
            .addDetails(Any.pack(detail))
            .build();
    return StatusProto.toStatusRuntimeException(proto);
  }

  /** Builds an {@link ErrorDetail}. */
  public static ErrorDetail detail(
      ErrorCode errorCode, String message, String field, boolean retryable, Map<String, String> metadata) {
    return ErrorDetail.newBuilder()
        .setCode(errorCode)
        .setMessage(message == null ? "" : message)
        .setField(field == null ? "" : field)
        .setRetryable(retryable)
        .putAllMetadata(metadata)
        .build();
  }

  /**
   * The {@link ErrorDetail} carried by a gRPC error (a {@link StatusRuntimeException} or {@link
   * io.grpc.StatusException}, possibly wrapped), if there is one.
   */
  public static Optional<ErrorDetail> detail(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      com.google.rpc.Status s = StatusProto.fromThrowable(c);
      if (s != null) {
        for (Any any : s.getDetailsList()) {
          if (any.is(ErrorDetail.class)) {
            try {
              return Optional.of(any.unpack(ErrorDetail.class));
            } catch (InvalidProtocolBufferException e) {
              return Optional.empty();
            }
          }
        }
        return Optional.empty();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return Optional.empty();
  }

  /** The {@link ErrorCode} of a gRPC error, or {@code ERROR_CODE_UNSPECIFIED} if it carries none. */
  public static ErrorCode code(Throwable t) {
    return detail(t).map(ErrorDetail::getCode).orElse(ErrorCode.ERROR_CODE_UNSPECIFIED);
  }
}
