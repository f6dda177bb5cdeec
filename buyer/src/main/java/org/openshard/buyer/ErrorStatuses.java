package org.openshard.buyer;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/**
 * gRPC status ⇄ {@link ErrorDetail} for the buyer (protocol.md ERR-1..3), on top of {@link Errors}:
 * which status code each error code travels with, and a typed view of any peer failure.
 */
public final class ErrorStatuses {
  private ErrorStatuses() {}

  /** The status code a given error code travels with (ERR-3). */
  public static Status.Code statusCodeFor(ErrorCode code) {
    switch (code) {
      case INVALID_ARGUMENT:
      case INVALID_QUERY:
      case LIMIT_EXCEEDED:
      case UNSUPPORTED_VERSION:
        return Status.Code.INVALID_ARGUMENT;
      case SIGNATURE_INVALID:
      case CLOCK_SKEW:
      case STALE_MESSAGE:
      case BAD_HEARTBEAT_TOKEN:
        return Status.Code.UNAUTHENTICATED;
      case PROOF_INVALID:
      case UNKNOWN_ANCHOR_SET:
      case NULLIFIER_REPLAYED:
      case SESSION_REQUEST_REPLAYED:
      case SCOPE_INVALID:
        return Status.Code.PERMISSION_DENIED;
      case UNKNOWN_PEER:
      case UNKNOWN_SERVICE:
      case UNKNOWN_SELLER_KEY:
        return Status.Code.NOT_FOUND;
      case OVERLOADED:
        return Status.Code.RESOURCE_EXHAUSTED;
      case PAYMENT_REQUIRED:
      case PAYMENT_INVALID:
      case CHANNEL_EXHAUSTED:
      case PAYMENT_UNSUPPORTED:
      case SESSION_UNKNOWN:
      case SELLER_KEY_EXPIRED:
        return Status.Code.FAILED_PRECONDITION;
      case DECRYPTION_FAILED:
      case STREAM_INTEGRITY:
      case INVALID_PUBLIC_KEY:
        return Status.Code.DATA_LOSS;
      case UPSTREAM_TIMEOUT:
      case DEADLINE_EXCEEDED:
        return Status.Code.DEADLINE_EXCEEDED;
      case CANCELLED:
        return Status.Code.CANCELLED;
      case UPSTREAM_ERROR:
      case SHUTTING_DOWN:
      case STORE_UNAVAILABLE:
      case NO_SELLER_AVAILABLE:
      case PINNED_PEER_UNAVAILABLE:
      case ALL_SELLERS_FAILED:
        return Status.Code.UNAVAILABLE;
      default:
        return Status.Code.INTERNAL;
    }
  }

  /** A status exception carrying {@code detail} (via {@link Errors}). */
  public static StatusRuntimeException toStatus(ErrorDetail detail) {
    return Errors.status(statusCodeFor(detail.getCode()), detail);
  }

  public static StatusRuntimeException toStatus(BuyerException e) {
    return toStatus(e.toDetail());
  }

  /** The ErrorDetail inside a status exception, if it carries one. */
  public static Optional<ErrorDetail> detailOf(Throwable t) {
    return Errors.detail(t);
  }

  public static boolean hasDetail(Throwable t) {
    return detailOf(t).isPresent();
  }

  /** {@link #fromThrowable} with the peer id attached as metadata. */
  public static BuyerException fromThrowableFor(Throwable t, String peerId) {
    return fromThrowable(t).withMetadata("peer_id", peerId);
  }

  /**
   * A typed view of any failure of a call to a seller or registry: its ErrorDetail if it has one,
   * otherwise one derived from the bare status code.
   */
  public static BuyerException fromThrowable(Throwable t) {
    Optional<ErrorDetail> d = detailOf(t);
    if (d.isPresent()) {
      return BuyerException.fromDetail(d.get()).withCause(t);
    }
    Status st = Status.fromThrowable(t);
    String what = st.getDescription() == null ? st.getCode().name() : st.getCode() + ": " + st.getDescription();
    switch (st.getCode()) {
      case UNAVAILABLE:
        return BuyerException.retryable(ErrorCode.UPSTREAM_ERROR, "peer unreachable (" + what + ")").withCause(t);
      case DEADLINE_EXCEEDED:
        return BuyerException.retryable(ErrorCode.DEADLINE_EXCEEDED, "deadline exceeded (" + what + ")").withCause(t);
      case CANCELLED:
        return BuyerException.of(ErrorCode.CANCELLED, "call cancelled (" + what + ")").withCause(t);
      case RESOURCE_EXHAUSTED:
        return BuyerException.retryable(ErrorCode.OVERLOADED, "peer overloaded (" + what + ")").withCause(t);
      case UNIMPLEMENTED:
        return BuyerException.retryable(ErrorCode.UNSUPPORTED_VERSION, "peer does not implement the call (" + what + ")").withCause(t);
      default:
        return BuyerException.retryable(ErrorCode.INTERNAL, "peer call failed (" + what + ")").withCause(t);
    }
  }
}
