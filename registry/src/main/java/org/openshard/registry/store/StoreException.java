package org.openshard.registry.store;

/** The backing store is unreachable or failed; the request must fail closed (STORE_UNAVAILABLE). */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
