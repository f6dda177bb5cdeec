package org.openshard.credentials.replay;

import org.openshard.proto.v1.ErrorCode;

/**
 * The replay store could not answer (disk or Redis error). Callers must fail closed: reject the
 * request with {@link ErrorCode#STORE_UNAVAILABLE}, never treat the nullifier as fresh.
 */
public final class StoreUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ErrorCode errorCode() {
    return ErrorCode.STORE_UNAVAILABLE;
  }
}
