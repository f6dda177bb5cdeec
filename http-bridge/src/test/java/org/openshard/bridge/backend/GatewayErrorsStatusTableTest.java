package org.openshard.bridge.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.runtime.ErrorCodes;

/**
 * The bridge's HTTP status per ErrorCode agrees with the status the buyer gateway sends that code
 * with (protocol.md ERR-3 / ERR-3a): wherever the bridge gives a specific HTTP status, the gRPC
 * status says the same thing. Every other code is 502: the HTTP client cannot fix it, even where
 * the gRPC status names the gateway's own exchange with a seller or registry.
 */
class GatewayErrorsStatusTableTest {
  private static final Map<Integer, Status.Code> HTTP_TO_GRPC =
      Map.of(
          400, Status.Code.INVALID_ARGUMENT,
          402, Status.Code.FAILED_PRECONDITION,
          404, Status.Code.NOT_FOUND,
          429, Status.Code.RESOURCE_EXHAUSTED,
          503, Status.Code.UNAVAILABLE,
          504, Status.Code.DEADLINE_EXCEEDED);

  @Test
  void specificHttpStatusesMatchTheSharedTable() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c == ErrorCode.UNRECOGNIZED) {
        continue;
      }
      int http = GatewayErrors.httpStatus(c);
      if (http == 502) {
        continue;
      }
      assertEquals(HTTP_TO_GRPC.get(http), ErrorCodes.gatewayStatusFor(c), c.name() + " -> HTTP " + http);
    }
  }

  /** The crypto family is never the HTTP client's fault, as ERR-3a says for the gateway. */
  @Test
  void gatewayDataLossIsABadGateway() {
    for (ErrorCode c : ErrorCode.values()) {
      if (c != ErrorCode.UNRECOGNIZED && ErrorCodes.gatewayStatusFor(c) == Status.Code.DATA_LOSS) {
        assertEquals(502, GatewayErrors.httpStatus(c), c.name());
      }
    }
  }
}
