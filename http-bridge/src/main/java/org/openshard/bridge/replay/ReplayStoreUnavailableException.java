package org.openshard.bridge.replay;

/** The replay state cannot be reached or is full; E2EE requests must then fail closed. */
public final class ReplayStoreUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public ReplayStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public ReplayStoreUnavailableException(String message) {
    super(message);
  }
}
