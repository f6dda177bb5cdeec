package org.openshard.buyer;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.ErrorCodes;
import org.openshard.runtime.Errors;

/**
 * gRPC status ⇄ {@link ErrorDetail} for the buyer (protocol.md ERR-1..3), on top of {@link Errors}
 * and the shared status table {@link ErrorCodes}: the status the gateway answers with, and a typed
 * view of any peer failure (including the reverse mapping of a bare status without a detail).
 */
public final class ErrorStatuses {
  private ErrorStatuses() {}

  /**
   * The status exception the gateway answers its own client with: {@code detail} attached, the
   * status from the shared table with the gateway rule ({@link ErrorCodes#gatewayStatusFor},
   * protocol.md ERR-3a).
   */
  public static StatusRuntimeException toStatus(ErrorDetail detail) {
    return Errors.status(ErrorCodes.gatewayStatusFor(detail.getCode()), detail);
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
