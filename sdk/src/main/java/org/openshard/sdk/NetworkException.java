package org.openshard.sdk;

/** No registry of the {@link Network} answered; the message names each registry and its failure. */
public final class NetworkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NetworkException(String message, Throwable cause) {
    super(message, cause);
  }
}
