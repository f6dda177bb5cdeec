package org.openshard.echo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/** Error bodies in the OpenAI shape: {@code {"error":{"message","type","param","code"}}}. */
final class OpenAiErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrors() {}

  static String typeFor(int status) {
    switch (status) {
      case 401:
        return "authentication_error";
      case 403:
        return "permission_error";
      case 404:
        return "not_found_error";
      case 429:
        return "rate_limit_error";
      default:
        return status >= 500 ? "server_error" : "invalid_request_error";
    }
  }

  static byte[] body(String message, String type, String param) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    e.putNull("code");
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  static HttpResponse response(int status, String message, String param) {
    return HttpResponse.of(HttpStatus.valueOf(status), MediaType.JSON_UTF_8, body(message, typeFor(status), param));
  }

  static AggregatedHttpResponse aggregated(int status, String message) {
    return AggregatedHttpResponse.of(
        HttpStatus.valueOf(status), MediaType.JSON_UTF_8, body(message, typeFor(status), null));
  }
}
