package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code limit} requests in flight (streams count until they end); beyond that 429. */
final class ConcurrencyLimitDecorator implements DecoratingHttpServiceFunction {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  ConcurrencyLimitDecorator(int limit) {
    this.limit = limit;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    if (inFlight.incrementAndGet() > limit) {
      inFlight.decrementAndGet();
      return new ApiError(429, "rate_limit_error", "too many concurrent requests; retry later", null, "rate_limit_exceeded")
          .response();
    }
    HttpResponse res;
    try {
      res = delegate.serve(ctx, req);
    } catch (Exception e) {
      inFlight.decrementAndGet();
      throw e;
    }
    res.whenComplete().handle((v, err) -> inFlight.decrementAndGet());
    return res;
  }
}
