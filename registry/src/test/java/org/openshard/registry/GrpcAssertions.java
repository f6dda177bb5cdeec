package org.openshard.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.runtime.Errors;

/** Assertions on typed gRPC errors. */
public final class GrpcAssertions {
  private GrpcAssertions() {}

  /** A call that must fail. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  public static StatusRuntimeException expectError(Call call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    } catch (Exception e) {
      fail("expected a gRPC status, got " + e, e);
    }
    return fail("expected a gRPC error, the call succeeded");
  }

  /** Asserts the status code, the ErrorDetail code and that the message says something. */
  public static ErrorDetail assertStatus(Throwable t, Status.Code status, ErrorCode code) {
    Status s = Status.fromThrowable(t);
    assertEquals(status, s.getCode(), "status of " + s);
    ErrorDetail d = Errors.detail(t).orElseThrow(() -> new AssertionError("no ErrorDetail in " + s));
    assertEquals(code, d.getCode(), "error code of " + s);
    assertFalse(d.getMessage().isBlank());
    assertTrue(s.getDescription() != null && !s.getDescription().isBlank());
    return d;
  }

  public static ErrorDetail assertRefused(Call call, Status.Code status, ErrorCode code) {
    return assertStatus(expectError(call), status, code);
  }
}
