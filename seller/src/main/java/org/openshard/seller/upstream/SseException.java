package org.openshard.seller.upstream;

/** The upstream's event stream is malformed (invalid UTF-8, an oversized line or event). */
public final class SseException extends Exception {
  private static final long serialVersionUID = 1L;

  public SseException(String message) {
    super(message, null, false, false);
  }
}
