package org.openshard.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;

class ErrorsTest {
  @Test
  void statusCarriesCodeMessageAndDetail() {
    StatusRuntimeException e =
        Errors.status(Status.Code.INVALID_ARGUMENT, ErrorCode.LIMIT_EXCEEDED, "too many offerings", "offerings");
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("too many offerings", e.getStatus().getDescription());
    ErrorDetail d = Errors.detail(e).orElseThrow();
    assertEquals(ErrorCode.LIMIT_EXCEEDED, d.getCode());
    assertEquals("offerings", d.getField());
    assertEquals("too many offerings", d.getMessage());
    assertFalse(d.getRetryable());
  }

  @Test
  void detailSurvivesWrappingAndRetryableFlag() {
    StatusRuntimeException e =
        Errors.status(Status.Code.UNAVAILABLE, ErrorCode.STORE_UNAVAILABLE, "redis down", null, true);
    RuntimeException wrapped = new RuntimeException("outer", e);
    assertEquals(ErrorCode.STORE_UNAVAILABLE, Errors.code(wrapped));
    assertTrue(Errors.detail(wrapped).orElseThrow().getRetryable());
    assertEquals("", Errors.detail(wrapped).orElseThrow().getField());
  }

  @Test
  void plainStatusHasNoDetail() {
    StatusRuntimeException e = Status.NOT_FOUND.withDescription("x").asRuntimeException();
    assertTrue(Errors.detail(e).isEmpty());
    assertEquals(ErrorCode.ERROR_CODE_UNSPECIFIED, Errors.code(e));
    assertTrue(Errors.detail(new IllegalStateException("no status")).isEmpty());
  }

  @Test
  void metadataIsKeptAndOkIsRefused() {
    ErrorDetail d = Errors.detail(ErrorCode.UNKNOWN_PEER, "gone", "peer_id", false, Map.of("peer_id", "0xab"));
    StatusRuntimeException e = Errors.status(Status.Code.NOT_FOUND, d);
    assertEquals("0xab", Errors.detail(e).orElseThrow().getMetadataMap().get("peer_id"));
    assertThrows(IllegalArgumentException.class, () -> Errors.status(Status.Code.OK, d));
  }
}
