package org.openshard.runtime;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;

/**
 * The one table of which gRPC status each {@link ErrorCode} travels with (docs/protocol.md ERR-3),
 * used by every role, plus the two numbered exceptions to it (ERR-3a, ERR-3b). Clients still switch
 * on the {@link ErrorDetail} code (ERR-1); the status is for generic gRPC tooling, proxies and
 * clients that only see the status.
 *
 * <p>The rule behind the table: the status says what is wrong from the point of view of the party
 * answering, following the gRPC definitions. In particular {@code INVALID_ARGUMENT} is only for
 * what is wrong with the request whatever the state of the answering party; checks that depend on
 * the receiver's clock or state are {@code UNAUTHENTICATED} (freshness of a signed message) or
 * {@code FAILED_PRECONDITION} (the caller's cached view is out of date).
 */
public final class ErrorCodes {
  /**
   * ERR-3b: the status of {@code LIMIT_EXCEEDED} when the limit is a capacity of the answering
   * party that the request itself does not break (a full anchor directory, a watch consumer's
   * queue), as opposed to a size or count limit of the request.
   */
  public static final Status.Code CAPACITY_STATUS = Status.Code.RESOURCE_EXHAUSTED;

  private ErrorCodes() {}

  /** The status {@code code} travels with (ERR-3 table). Every defined code has an explicit row. */
  public static Status.Code statusFor(ErrorCode code) {
    switch (code) {
      // --- Request shape: wrong whatever the receiver's state.
      case INVALID_ARGUMENT:
      case UNSUPPORTED_VERSION:
      case LIMIT_EXCEEDED: // size/count limits of the request; server capacity is ERR-3b
      case INVALID_QUERY:
        return Status.Code.INVALID_ARGUMENT;

      // --- Signed messages that do not authenticate. CLOCK_SKEW and STALE_MESSAGE are freshness
      // failures of a signed message (its timestamp or sequence is what stops replays); they
      // depend on the receiver's clock and history, so they are not INVALID_ARGUMENT.
      case SIGNATURE_INVALID:
      case CLOCK_SKEW:
      case STALE_MESSAGE:
      case BAD_HEARTBEAT_TOKEN:
        return Status.Code.UNAUTHENTICATED;

      // --- Anonymous credentials: they prove membership (authorization), never who the caller
      // is, so a proof that fails, a used-up nullifier, a wrong scope or a replayed resumed request
      // deny permission. Also for the registry's anchor enrolment proof (same family, same code).
      case PROOF_INVALID:
      case NULLIFIER_REPLAYED:
      case SCOPE_INVALID:
      case SESSION_REQUEST_REPLAYED:
        return Status.Code.PERMISSION_DENIED;

      // --- An entity the request names is not held by the answering party.
      case UNKNOWN_PEER:
      case UNKNOWN_SERVICE:
      // The anchor-set epoch a ring (seller) or GetAnchorSet (registry) names is not one the
      // answering party holds: a lookup that found nothing, not a failed proof (the proof was
      // not checked). The seller may simply not have fetched it yet; buyers retry (CRED rules).
      case UNKNOWN_ANCHOR_SET:
        return Status.Code.NOT_FOUND;

      // --- The caller's view is out of date, or a payment state must change first: do not retry
      // as is (gRPC: "should not retry until the system state has been explicitly fixed").
      // UNKNOWN_SELLER_KEY travels with SELLER_KEY_EXPIRED: both say "your copy of my key
      // announcement is stale, refresh it"; the key id is not the entity the call asks for.
      case UNKNOWN_SELLER_KEY:
      case SELLER_KEY_EXPIRED:
      case SESSION_UNKNOWN:
      case PAYMENT_REQUIRED:
      case PAYMENT_INVALID:
      case CHANNEL_EXHAUSTED:
      case PAYMENT_UNSUPPORTED:
        return Status.Code.FAILED_PRECONDITION;

      // --- Bytes the caller sent that do not decrypt or verify: the caller sent them, so
      // INVALID_ARGUMENT from the receiver. A buyer gateway answering its own client uses ERR-3a.
      case INVALID_PUBLIC_KEY:
      case DECRYPTION_FAILED:
      case STREAM_INTEGRITY:
        return Status.Code.INVALID_ARGUMENT;

      // --- Serving and routing.
      case OVERLOADED:
        return Status.Code.RESOURCE_EXHAUSTED;
      case UPSTREAM_ERROR:
      case SHUTTING_DOWN:
      case STORE_UNAVAILABLE:
      case NO_SELLER_AVAILABLE:
      case PINNED_PEER_UNAVAILABLE:
      case ALL_SELLERS_FAILED:
        return Status.Code.UNAVAILABLE;
      case UPSTREAM_TIMEOUT:
      case DEADLINE_EXCEEDED:
        return Status.Code.DEADLINE_EXCEEDED;
      case CANCELLED:
        return Status.Code.CANCELLED;

      case INTERNAL:
        return Status.Code.INTERNAL;
      // An error without a code is a bug of the sender; a code this build does not know (from a
      // newer peer) is relayed as UNKNOWN, as gRPC does for statuses it cannot place.
      case ERROR_CODE_UNSPECIFIED:
        return Status.Code.INTERNAL;
      case UNRECOGNIZED:
        return Status.Code.UNKNOWN;
      default:
        // Unreachable while every constant above has a row; ErrorCodesTest fails the build if a new
        // code is added without one.
        return Status.Code.INTERNAL;
    }
  }

  /**
   * ERR-3a: the status a buyer gateway answers its own (local) client with. Same as {@link
   * #statusFor} except for the codes about data the client never supplies — ciphertext, keys and
   * signatures ({@code INVALID_PUBLIC_KEY}, {@code DECRYPTION_FAILED}, {@code STREAM_INTEGRITY},
   * {@code SIGNATURE_INVALID}): at the gateway such a failure is in the data exchanged with a seller
   * or registry (a seller's response stream or receipt that failed authentication), never the
   * client's argument or credentials: {@code DATA_LOSS}. {@code UNKNOWN_ANCHOR_SET} at a gateway is
   * its own credential not yet in a published anchor set (a seller's is handled by failover,
   * ERR-3c): the gateway is not ready yet, {@code UNAVAILABLE}.
   */
  public static Status.Code gatewayStatusFor(ErrorCode code) {
    switch (code) {
      case INVALID_PUBLIC_KEY:
      case DECRYPTION_FAILED:
      case STREAM_INTEGRITY:
      case SIGNATURE_INVALID:
        return Status.Code.DATA_LOSS;
      case UNKNOWN_ANCHOR_SET:
        return Status.Code.UNAVAILABLE;
      default:
        return statusFor(code);
    }
  }

  /** A status exception carrying {@code detail}, with the status from {@link #statusFor}. */
  public static StatusRuntimeException toStatus(ErrorDetail detail) {
    return Errors.status(statusFor(detail.getCode()), detail);
  }

  /** A status exception for a new detail (not retryable), with the status from {@link #statusFor}. */
  public static StatusRuntimeException toStatus(ErrorCode code, String message, String field) {
    return Errors.status(statusFor(code), code, message, field);
  }

  /** Like {@link #toStatus(ErrorCode, String, String)} with an explicit retryable flag. */
  public static StatusRuntimeException toStatus(ErrorCode code, String message, String field, boolean retryable) {
    return Errors.status(statusFor(code), code, message, field, retryable);
  }
}
