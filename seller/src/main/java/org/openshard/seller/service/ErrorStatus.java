package org.openshard.seller.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/**
 * The gRPC status an error closes a stream with (docs/protocol.md ERR-3, SELL-8), carrying the
 * {@link ErrorDetail} in {@code grpc-status-details-bin}.
 */
public final class ErrorStatus {
  private ErrorStatus() {}

  public static Status.Code codeFor(ErrorCode code) {
    switch (code) {
      case PROOF_INVALID:
      case UNKNOWN_ANCHOR_SET:
      case NULLIFIER_REPLAYED:
      case SESSION_REQUEST_REPLAYED:
      case SCOPE_INVALID:
        return Status.Code.PERMISSION_DENIED;
      case SIGNATURE_INVALID:
        return Status.Code.UNAUTHENTICATED;
      case INVALID_ARGUMENT:
      case UNSUPPORTED_VERSION:
      case LIMIT_EXCEEDED:
      case CLOCK_SKEW:
      case STALE_MESSAGE:
      case INVALID_PUBLIC_KEY:
      case DECRYPTION_FAILED:
      case INVALID_QUERY:
      case STREAM_INTEGRITY:
        return Status.Code.INVALID_ARGUMENT;
      case UNKNOWN_SELLER_KEY:
      case SELLER_KEY_EXPIRED:
      case PAYMENT_REQUIRED:
      case PAYMENT_INVALID:
      case CHANNEL_EXHAUSTED:
      case PAYMENT_UNSUPPORTED:
      case SESSION_UNKNOWN:
        return Status.Code.FAILED_PRECONDITION;
      case UNKNOWN_SERVICE:
      case UNKNOWN_PEER:
        return Status.Code.NOT_FOUND;
      case OVERLOADED:
        return Status.Code.RESOURCE_EXHAUSTED;
      case UPSTREAM_ERROR:
      case SHUTTING_DOWN:
      case STORE_UNAVAILABLE:
        return Status.Code.UNAVAILABLE;
      case UPSTREAM_TIMEOUT:
      case DEADLINE_EXCEEDED:
        return Status.Code.DEADLINE_EXCEEDED;
      case CANCELLED:
        return Status.Code.CANCELLED;
      default:
        return Status.Code.INTERNAL;
    }
  }

  /** A status exception for {@code detail}, with the detail attached (runtime {@link Errors}). */
  public static StatusRuntimeException toException(ErrorDetail detail) {
    return Errors.status(codeFor(detail.getCode()), detail);
  }

  /** The ErrorDetail attached to a status exception, or null. */
  public static ErrorDetail detailOf(Throwable t) {
    return Errors.detail(t).orElse(null);
  }
}
