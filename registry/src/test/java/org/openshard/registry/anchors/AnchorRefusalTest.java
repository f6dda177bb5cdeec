package org.openshard.registry.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.registry.RegistryException;
import org.openshard.runtime.Errors;

/** Credentials failures at the registry follow the shared table, except a full directory (ERR-3b). */
class AnchorRefusalTest {
  private static RegistryException refuse(Reason reason, String field) {
    return AnchorRegistry.refusal(new CredentialException(reason, field, "m"));
  }

  @Test
  void credentialFailuresUseTheSharedTable() {
    assertEquals(Status.Code.PERMISSION_DENIED, refuse(Reason.PROOF_INVALID, "proof").statusCode());
    assertEquals(Status.Code.UNAUTHENTICATED, refuse(Reason.CLOCK_SKEW, "enrollment.timestamp_ms").statusCode());
    assertEquals(Status.Code.INVALID_ARGUMENT, refuse(Reason.INVALID_ARGUMENT, "anchor").statusCode());
    assertEquals(Status.Code.INVALID_ARGUMENT, refuse(Reason.LIMIT_EXCEEDED, "proof").statusCode());
  }

  @Test
  void aFullAnchorDirectoryIsTheRegistrysCapacity() {
    RegistryException e = refuse(Reason.LIMIT_EXCEEDED, "anchor");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.statusCode());
    StatusRuntimeException s = e.toStatus();
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getStatus().getCode());
    assertEquals(ErrorCode.LIMIT_EXCEEDED, Errors.code(s));
    assertEquals("anchor", Errors.detail(s).orElseThrow().getField());
  }

  @Test
  void anUnpublishedEpochIsNotFound() {
    RegistryException e = AnchorRegistry.notPublished(7);
    assertEquals(Status.Code.NOT_FOUND, e.statusCode());
    assertEquals(ErrorCode.UNKNOWN_ANCHOR_SET, e.errorCode());
  }
}
