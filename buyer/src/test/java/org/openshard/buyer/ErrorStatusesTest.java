package org.openshard.buyer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.ErrorCodes;
import org.openshard.runtime.Errors;

class ErrorStatusesTest {
  private static ErrorDetail detail(ErrorCode c) {
    return Errors.detail(c, "m", "f", true, Map.of("peer_id", "0xabc"));
  }

  /** The gateway answers with the shared table plus ERR-3a, and the detail survives. */
  @Test
  void gatewayStatusFollowsTheSharedTableWithTheGatewayRule() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      StatusRuntimeException e = ErrorStatuses.toStatus(detail(c));
      assertEquals(ErrorCodes.gatewayStatusFor(c), e.getStatus().getCode(), c.name());
      assertEquals(detail(c), ErrorStatuses.detailOf(e).orElseThrow());
    }
    // The decisions that changed for the buyer (ERR-3): these used to be NOT_FOUND / PERMISSION_DENIED.
    assertEquals(Status.Code.FAILED_PRECONDITION, ErrorStatuses.toStatus(detail(ErrorCode.UNKNOWN_SELLER_KEY)).getStatus().getCode());
    // ERR-3a: the gateway's own credential not published yet means "not ready, retry later".
    assertEquals(Status.Code.UNAVAILABLE, ErrorStatuses.toStatus(detail(ErrorCode.UNKNOWN_ANCHOR_SET)).getStatus().getCode());
    // ERR-3a: a seller stream that failed authentication is not the gateway client's argument.
    assertEquals(Status.Code.DATA_LOSS, ErrorStatuses.toStatus(detail(ErrorCode.STREAM_INTEGRITY)).getStatus().getCode());
    assertEquals(Status.Code.DATA_LOSS, ErrorStatuses.toStatus(detail(ErrorCode.DECRYPTION_FAILED)).getStatus().getCode());
  }

  @Test
  void aSellerStatusWithADetailKeepsItsCode() {
    BuyerException e = ErrorStatuses.fromThrowable(ErrorCodes.toStatus(ErrorCode.CLOCK_SKEW, "envelope too old", "timestamp_ms"));
    assertEquals(ErrorCode.CLOCK_SKEW, e.code());
    assertFalse(e.retryable());
  }

  /** The reverse mapping for a bare status (no ErrorDetail): transport-level failures. */
  @Test
  void bareStatusesMapToTypedErrors() {
    assertReverse(Status.Code.UNAVAILABLE, ErrorCode.UPSTREAM_ERROR, true);
    assertReverse(Status.Code.DEADLINE_EXCEEDED, ErrorCode.DEADLINE_EXCEEDED, true);
    assertReverse(Status.Code.CANCELLED, ErrorCode.CANCELLED, false);
    assertReverse(Status.Code.RESOURCE_EXHAUSTED, ErrorCode.OVERLOADED, true);
    assertReverse(Status.Code.UNIMPLEMENTED, ErrorCode.UNSUPPORTED_VERSION, true);
    assertReverse(Status.Code.DATA_LOSS, ErrorCode.INTERNAL, true);
  }

  private static void assertReverse(Status.Code status, ErrorCode expected, boolean retryable) {
    BuyerException e = ErrorStatuses.fromThrowable(Status.fromCode(status).withDescription("d").asRuntimeException());
    assertEquals(expected, e.code(), status.name());
    assertEquals(retryable, e.retryable(), status.name());
    assertTrue(e.getMessage().contains(status.name()), e.getMessage());
  }
}
