package org.openshard.bridge.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import java.util.concurrent.CompletionException;

/** Maps upstream HTTP failures to {@link BackendException}s. */
final class UpstreamErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private UpstreamErrors() {}

  /**
   * An upstream error status: 4xx pass through (401/403 mean the bridge's own upstream credentials
   * failed, so they become 502), 503 passes through, other 5xx become 502. The upstream's error
   * message is kept for plain requests; for E2EE requests it is replaced by a generic one, since
   * the bridge would otherwise send upstream text unencrypted.
   */
  static BackendException fromStatus(int status, byte[] body, boolean e2ee) {
    String upstreamMessage = null;
    String upstreamType = null;
    String upstreamCode = null;
    try {
      JsonNode j = JSON.readTree(body);
      JsonNode e = j == null ? null : j.get("error");
      if (e != null && e.isObject()) {
        upstreamMessage = e.path("message").isTextual() ? e.get("message").textValue() : null;
        upstreamType = e.path("type").isTextual() ? e.get("type").textValue() : null;
        upstreamCode = e.path("code").isTextual() ? e.get("code").textValue() : null;
      }
    } catch (java.io.IOException | RuntimeException ignored) {
      // not JSON: use the generic message
    }
    String generic = "upstream returned HTTP " + status;
    if (status == 401 || status == 403) {
      return new BackendException(502, "upstream_error", generic + " (the bridge's upstream credentials were refused)", null);
    }
    if (status >= 400 && status < 500 || status == 503) {
      String msg = e2ee || upstreamMessage == null ? generic : upstreamMessage;
      String type = upstreamType != null ? upstreamType : defaultType(status);
      return new BackendException(status, type, msg, upstreamCode);
    }
    return new BackendException(502, "upstream_error", generic, null);
  }

  static String defaultType(int status) {
    switch (status) {
      case 404:
        return "not_found_error";
      case 429:
        return "rate_limit_error";
      case 503:
        return "service_unavailable";
      default:
        return "invalid_request_error";
    }
  }

  /** A transport failure (connect, timeout, reset). */
  static BackendException fromThrowable(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof BackendException) {
      return (BackendException) c;
    }
    if (c instanceof ResponseTimeoutException) {
      return BackendException.badGateway("upstream timed out", c);
    }
    if (c instanceof UnprocessedRequestException) {
      return BackendException.badGateway("upstream is unreachable", c);
    }
    if (c instanceof SseFormatException) {
      return BackendException.badGateway("upstream sent a malformed event stream: " + c.getMessage(), c);
    }
    return BackendException.badGateway("upstream request failed (" + c.getClass().getSimpleName() + ")", c);
  }
}
