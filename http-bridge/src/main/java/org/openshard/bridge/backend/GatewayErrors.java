package org.openshard.bridge.backend;

import io.grpc.Status;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/**
 * Maps a failed Gateway call to the client's OpenAI error. With an {@link ErrorDetail} the status
 * follows its {@link ErrorCode} and the OpenAI {@code code} is that code's name in lower case;
 * without one, the gRPC status code decides (transport failures: the gateway is unreachable).
 *
 * <p>Messages: the detail's message for plain requests (the protocol guarantees it carries no
 * content), a fixed description of the code for E2EE requests (so no text from elsewhere leaves the
 * bridge unencrypted). Never the gRPC description of a status without detail.
 */
public final class GatewayErrors {
  private static final int MAX_MESSAGE_CHARS = 512;

  private GatewayErrors() {}

  /** The HTTP status and OpenAI type an {@link ErrorCode} maps to. */
  public static int httpStatus(ErrorCode code) {
    switch (code) {
      case NO_SELLER_AVAILABLE:
      case ALL_SELLERS_FAILED:
      case PINNED_PEER_UNAVAILABLE:
      case SHUTTING_DOWN:
      case STORE_UNAVAILABLE:
      case UNKNOWN_ANCHOR_SET:
        return 503;
      case OVERLOADED:
        return 429;
      case INVALID_ARGUMENT:
      case INVALID_QUERY:
      case LIMIT_EXCEEDED:
        return 400;
      case UNKNOWN_SERVICE:
        return 404;
      case PAYMENT_REQUIRED:
      case PAYMENT_INVALID:
      case CHANNEL_EXHAUSTED:
      case PAYMENT_UNSUPPORTED:
        return 402;
      case UPSTREAM_TIMEOUT:
      case DEADLINE_EXCEEDED:
        return 504;
      default:
        return 502;
    }
  }

  /** The OpenAI error type for an HTTP status chosen by {@link #httpStatus}. */
  static String type(int status) {
    switch (status) {
      case 400:
        return "invalid_request_error";
      case 402:
        return "payment_required";
      case 404:
        return "not_found_error";
      case 429:
        return "rate_limit_error";
      case 503:
        return "service_unavailable";
      case 504:
        return "timeout_error";
      default:
        return "upstream_error";
    }
  }

  /** The client's error for what a Gateway call failed with. */
  public static BackendException map(Throwable t, boolean e2ee) {
    Throwable c = unwrap(t);
    if (c instanceof BackendException) {
      return (BackendException) c;
    }
    Optional<ErrorDetail> detail = Errors.detail(c);
    if (detail.isPresent() && detail.get().getCode() != ErrorCode.ERROR_CODE_UNSPECIFIED
        && detail.get().getCode() != ErrorCode.UNRECOGNIZED) {
      ErrorDetail d = detail.get();
      int status = httpStatus(d.getCode());
      String message = e2ee || d.getMessage().isBlank() ? describe(d.getCode()) : clip(d.getMessage());
      String param = status == 400 && !d.getField().isBlank() ? clip(d.getField()) : null;
      return new BackendException(status, type(status), message, param, d.getCode().name().toLowerCase(Locale.ROOT), c);
    }
    Status s = Status.fromThrowable(c);
    switch (s.getCode()) {
      case UNAVAILABLE:
        return new BackendException(503, "service_unavailable", "the buyer gateway is unavailable", null, "gateway_unavailable", c);
      case DEADLINE_EXCEEDED:
        return new BackendException(504, "timeout_error", "the buyer gateway did not answer in time", null, "deadline_exceeded", c);
      case RESOURCE_EXHAUSTED:
        return new BackendException(429, "rate_limit_error", "the buyer gateway is overloaded", null, "resource_exhausted", c);
      case INVALID_ARGUMENT:
        return new BackendException(400, "invalid_request_error", "the buyer gateway rejected the request", null, "invalid_argument", c);
      case NOT_FOUND:
        return new BackendException(404, "not_found_error", "the buyer gateway found no such service", null, "not_found", c);
      default:
        return new BackendException(
            502, "upstream_error", "the buyer gateway failed (" + s.getCode() + ")", null, "gateway_error", c);
    }
  }

  /** A fixed, content-free description of an {@link ErrorCode}. */
  static String describe(ErrorCode code) {
    switch (code) {
      case NO_SELLER_AVAILABLE:
        return "no seller is available for this model";
      case ALL_SELLERS_FAILED:
        return "every seller tried failed";
      case PINNED_PEER_UNAVAILABLE:
        return "the pinned seller is unknown or unavailable";
      case SHUTTING_DOWN:
        return "the gateway or seller is shutting down";
      case STORE_UNAVAILABLE:
        return "a backing store is unavailable";
      case UNKNOWN_ANCHOR_SET:
        return "the gateway's credential is not published yet; retry later";
      case OVERLOADED:
        return "the seller is overloaded; retry later";
      case INVALID_ARGUMENT:
      case INVALID_QUERY:
        return "the request is invalid";
      case LIMIT_EXCEEDED:
        return "the request exceeds a size or count limit";
      case UNKNOWN_SERVICE:
        return "no seller offers this model";
      case PAYMENT_REQUIRED:
        return "payment is required";
      case PAYMENT_INVALID:
        return "the payment authorization is invalid";
      case CHANNEL_EXHAUSTED:
        return "the payment channel cannot pay";
      case PAYMENT_UNSUPPORTED:
        return "the seller does not accept payment for this offering";
      case UPSTREAM_ERROR:
        return "the seller's model server answered with an error";
      case UPSTREAM_TIMEOUT:
        return "the seller's model server did not answer in time";
      case DEADLINE_EXCEEDED:
        return "the request deadline passed";
      default:
        return "the buyer gateway failed (" + code.name().toLowerCase(Locale.ROOT) + ")";
    }
  }

  private static String clip(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "…";
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
