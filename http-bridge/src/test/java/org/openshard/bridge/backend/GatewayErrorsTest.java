package org.openshard.bridge.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.runtime.Errors;

class GatewayErrorsTest {
  @ParameterizedTest
  @EnumSource(
      value = ErrorCode.class,
      names = {"SIGNATURE_INVALID", "NULLIFIER_REPLAYED", "DECRYPTION_FAILED", "CANCELLED", "UNSUPPORTED_VERSION", "INTERNAL"})
  void codesWithoutAClientMeaningAre502(ErrorCode code) {
    BackendException b = GatewayErrors.map(Errors.status(Status.Code.INTERNAL, code, "m", null), false);
    assertEquals(502, b.status());
    assertEquals("upstream_error", b.type());
    assertEquals(code.name().toLowerCase(java.util.Locale.ROOT), b.code());
  }

  @Test
  void e2eeRequestsGetAFixedMessage() {
    Throwable t =
        new CompletionException(
            Errors.status(Status.Code.UNAVAILABLE, ErrorCode.NO_SELLER_AVAILABLE, "text from elsewhere", "model"));
    BackendException plain = GatewayErrors.map(t, false);
    BackendException e2ee = GatewayErrors.map(t, true);
    assertEquals("text from elsewhere", plain.getMessage());
    assertFalse(e2ee.getMessage().contains("elsewhere"));
    assertEquals(503, e2ee.status());
    assertEquals("no_seller_available", e2ee.code());
  }

  @Test
  void notGrpcAtAllIs502() {
    BackendException b = GatewayErrors.map(new IllegalStateException("boom"), false);
    assertEquals(502, b.status());
    assertEquals("gateway_error", b.code());
    assertFalse(b.getMessage().contains("boom"));
  }
}
