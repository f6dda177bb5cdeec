package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Clock;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.bridge.backend.ServingSummary;
import org.openshard.bridge.dashboard.RequestRecord;
import org.openshard.bridge.receipts.ReceiptDraft;

/**
 * Records each inference request's metadata (never its body) in the dashboard's request log once
 * the response has fully ended.
 */
final class RequestLogDecorator implements DecoratingHttpServiceFunction {
  private final org.openshard.bridge.dashboard.RequestLog log;
  private final Clock clock;

  RequestLogDecorator(org.openshard.bridge.dashboard.RequestLog log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    long start = clock.millis();
    RequestMeta meta = new RequestMeta();
    ctx.setAttr(RequestMeta.KEY, meta);
    ReceiptDraft draft = ctx.attr(ReceiptDecorator.DRAFT);
    String receiptId = draft == null ? "" : draft.receiptId();
    ctx.log().whenComplete().thenAccept(l -> log.add(record(l, meta, receiptId, start, ctx.path())));
    return delegate.serve(ctx, req);
  }

  private RequestRecord record(RequestLog l, RequestMeta meta, String receiptId, long start, String path) {
    int status = l.isAvailable(com.linecorp.armeria.common.logging.RequestLogProperty.RESPONSE_HEADERS)
        ? l.responseHeaders().status().code()
        : 0;
    RequestContext rc = meta.context();
    ServingSummary s = rc == null ? null : rc.summary().orElse(null);
    return new RequestRecord(
        start,
        path,
        meta.model(),
        s == null ? "" : s.sellerId(),
        status,
        meta.promptTokens(),
        meta.completionTokens(),
        s == null ? 0 : s.amountCharged(),
        receiptId,
        s == null ? "" : s.sellerReceiptId(),
        Math.max(0, clock.millis() - start));
  }
}
