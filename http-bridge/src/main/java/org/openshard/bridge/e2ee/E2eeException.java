package org.openshard.bridge.e2ee;

/**
 * An E2EE request was rejected. The message says what failed and never contains key material,
 * ciphertext or plaintext.
 */
public final class E2eeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final E2eeErrorType type;

  public E2eeException(E2eeErrorType type, String message) {
    super(message);
    this.type = type;
  }

  public E2eeErrorType type() {
    return type;
  }
}
