package org.openshard.bridge.backend;

/** An event stream broke the SSE format or a size limit. */
public final class SseFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SseFormatException(String message) {
    super(message);
  }
}
