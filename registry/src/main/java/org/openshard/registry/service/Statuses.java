package org.openshard.registry.service;

import io.grpc.StatusRuntimeException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.runtime.ErrorCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Status helpers for unexpected failures (bugs): logged with the stack, answered as INTERNAL. */
final class Statuses {
  private static final Logger LOG = LoggerFactory.getLogger(Statuses.class);

  private Statuses() {}

  static StatusRuntimeException internal(String rpc, RuntimeException e) {
    LOG.error("registry {} failed unexpectedly", rpc, e);
    return ErrorCodes.toStatus(ErrorCode.INTERNAL, "internal error in registry " + rpc, null);
  }
}
