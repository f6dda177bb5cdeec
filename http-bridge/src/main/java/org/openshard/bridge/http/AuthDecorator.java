package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import org.openshard.bridge.auth.ApiKeys;

/** Requires {@code Authorization: Bearer <key>} with one of the configured keys; 401 otherwise. */
final class AuthDecorator implements DecoratingHttpServiceFunction {
  private final ApiKeys keys;

  AuthDecorator(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (!keys.accepts(ApiKeys.bearer(req.headers().get(HttpHeaderNames.AUTHORIZATION)))) {
      return ApiError.unauthorized().response();
    }
    return delegate.serve(ctx, req);
  }
}
