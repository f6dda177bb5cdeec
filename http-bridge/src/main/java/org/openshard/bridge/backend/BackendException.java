package org.openshard.bridge.backend;

/**
 * A backend failed in a way the client should see as an OpenAI error: HTTP status, error type,
 * message (never containing prompts or completions) and optional code.
 */
public final class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;
  private final String code;
  private final String param;

  public BackendException(int status, String type, String message, String code) {
    this(status, type, message, null, code, null);
  }

  public BackendException(int status, String type, String message, String code, Throwable cause) {
    this(status, type, message, null, code, cause);
  }

  /** With the OpenAI error's {@code param} (the offending request member; may be null). */
  public BackendException(int status, String type, String message, String param, String code, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 502 upstream_error. */
  public static BackendException badGateway(String message, Throwable cause) {
    return new BackendException(502, "upstream_error", message, null, cause);
  }

  /** 404: this backend does not serve the endpoint. */
  public static BackendException unsupported(String what) {
    return new BackendException(404, "not_found_error", what + " is not supported by this backend", "unsupported_endpoint");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  /** May be null. */
  public String code() {
    return code;
  }

  /** The offending request member; may be null. */
  public String param() {
    return param;
  }
}
