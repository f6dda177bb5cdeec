package org.openshard.bridge.http;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;

/** Every error Armeria itself produces (unknown route, wrong method, body too large, ...) in the OpenAI shape. */
final class BridgeErrorHandler implements ServerErrorHandler {
  private final long maxRequestBytes;

  BridgeErrorHandler(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    Throwable c = BackendErrors.unwrap(cause);
    if (c instanceof ContentTooLargeException) {
      return ApiError.tooLarge(maxRequestBytes).response();
    }
    if (c instanceof HttpStatusException) {
      return forStatus(((HttpStatusException) c).httpStatus().code(), maxRequestBytes).response();
    }
    return ApiError.internal().response();
  }

  @Override
  public AggregatedHttpResponse renderStatus(
      ServiceRequestContext ctx,
      ServiceConfig config,
      RequestHeaders headers,
      HttpStatus status,
      String description,
      Throwable cause) {
    return forStatus(status.code(), maxRequestBytes).aggregated();
  }

  static ApiError forStatus(int code, long maxRequestBytes) {
    switch (code) {
      case 404:
        return ApiError.notFound("no such endpoint");
      case 405:
        return new ApiError(405, "invalid_request_error", "method not allowed for this endpoint", null, null);
      case 413:
        return ApiError.tooLarge(maxRequestBytes);
      case 415:
        return ApiError.unsupportedMediaType();
      case 503:
        return new ApiError(503, "service_unavailable", "service unavailable", null, null);
      default:
        if (code >= 500) {
          return new ApiError(code, "server_error", "server error", null, null);
        }
        return new ApiError(code, "invalid_request_error", HttpStatus.valueOf(code).reasonPhrase(), null, null);
    }
  }
}
