package org.openshard.seller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;

class ErrorStatusTest {
  @Test
  void familiesMapAsProtocolSaysAndDetailsRoundTrip() {
    assertEquals(Status.Code.PERMISSION_DENIED, ErrorStatus.codeFor(ErrorCode.PROOF_INVALID));
    assertEquals(Status.Code.PERMISSION_DENIED, ErrorStatus.codeFor(ErrorCode.NULLIFIER_REPLAYED));
    assertEquals(Status.Code.INVALID_ARGUMENT, ErrorStatus.codeFor(ErrorCode.DECRYPTION_FAILED));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, ErrorStatus.codeFor(ErrorCode.OVERLOADED));
    assertEquals(Status.Code.FAILED_PRECONDITION, ErrorStatus.codeFor(ErrorCode.PAYMENT_UNSUPPORTED));
    assertEquals(Status.Code.UNAVAILABLE, ErrorStatus.codeFor(ErrorCode.UPSTREAM_ERROR));
    assertEquals(Status.Code.UNAVAILABLE, ErrorStatus.codeFor(ErrorCode.STORE_UNAVAILABLE));
    assertEquals(Status.Code.DEADLINE_EXCEEDED, ErrorStatus.codeFor(ErrorCode.UPSTREAM_TIMEOUT));
    assertEquals(Status.Code.CANCELLED, ErrorStatus.codeFor(ErrorCode.CANCELLED));
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      assertNotEquals(Status.Code.OK, ErrorStatus.codeFor(c), c.name());
      ErrorDetail d = ErrorDetail.newBuilder().setCode(c).setMessage("m").setField("f").setRetryable(true).build();
      StatusRuntimeException e = ErrorStatus.toException(d);
      assertEquals(ErrorStatus.codeFor(c), e.getStatus().getCode());
      assertEquals(d, ErrorStatus.detailOf(e));
    }
  }
}
