package org.openshard.bridge.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import org.openshard.bridge.e2ee.E2eeException;

/**
 * An error answered in the OpenAI shape {@code {"error":{"message","type","param","code"}}}.
 * Messages never contain request content.
 */
public final class ApiError {
  private final int status;
  private final String type;
  private final String message;
  private final String param;
  private final String code;

  public ApiError(int status, String type, String message, String param, String code) {
    this.status = status;
    this.type = type;
    this.message = message;
    this.param = param;
    this.code = code;
  }

  public static ApiError invalidRequest(String message, String param, String code) {
    return new ApiError(400, "invalid_request_error", message, param, code);
  }

  public static ApiError e2ee(E2eeException e) {
    return new ApiError(400, e.type().wire(), e.getMessage(), null, null);
  }

  public static ApiError tooLarge(long limit) {
    return new ApiError(413, "invalid_request_error", "request body is larger than " + limit + " bytes", null, "request_too_large");
  }

  public static ApiError unsupportedMediaType() {
    return new ApiError(
        415, "invalid_request_error", "Content-Type must be application/json", null, "unsupported_media_type");
  }

  public static ApiError unauthorized() {
    return new ApiError(
        401, "invalid_request_error", "missing or incorrect API key; send Authorization: Bearer <key>", null, "invalid_api_key");
  }

  public static ApiError replayUnavailable() {
    return new ApiError(
        503, "service_unavailable", "E2EE replay protection is unavailable; retry later (plain requests are unaffected)",
        null, "replay_store_unavailable");
  }

  public static ApiError internal() {
    return new ApiError(500, "server_error", "internal error", null, null);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "not_found_error", message, null, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String message() {
    return message;
  }

  public ObjectNode json() {
    ObjectNode root = BridgeJson.MAPPER.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    if (code == null) {
      e.putNull("code");
    } else {
      e.put("code", code);
    }
    return root;
  }

  public HttpResponse response() {
    ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.valueOf(status)).contentType(MediaType.JSON_UTF_8);
    if (status == 401) {
      h.add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
    }
    return HttpResponse.of(h.build(), com.linecorp.armeria.common.HttpData.wrap(BridgeJson.bytes(json())));
  }

  public AggregatedHttpResponse aggregated() {
    return AggregatedHttpResponse.of(HttpStatus.valueOf(status), MediaType.JSON_UTF_8, BridgeJson.bytes(json()));
  }

  @Override
  public String toString() {
    return "ApiError(" + status + " " + type + ": " + message + ")";
  }
}
