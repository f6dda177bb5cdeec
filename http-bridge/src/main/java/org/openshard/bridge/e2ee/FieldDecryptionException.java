package org.openshard.bridge.e2ee;

/** One encrypted field could not be opened (malformed, wrong key, wrong associated data, tampered). */
public final class FieldDecryptionException extends Exception {
  private static final long serialVersionUID = 1L;

  public FieldDecryptionException(String message) {
    super(message);
  }
}
