package org.openshard.bridge.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;
import org.openshard.bridge.receipts.ReceiptDraft;
import org.openshard.bridge.receipts.Receipts;

/**
 * Gives every response an {@code X-Receipt-Id}, hashes every body byte it emits (SSE framing
 * included) and signs and stores the receipt when the response ends (completed or aborted).
 */
final class ReceiptDecorator implements DecoratingHttpServiceFunction {
  static final AttributeKey<ReceiptDraft> DRAFT = AttributeKey.valueOf(ReceiptDecorator.class, "DRAFT");
  static final String HEADER = "x-receipt-id";

  private final Receipts receipts;

  ReceiptDecorator(Receipts receipts) {
    this.receipts = receipts;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
    ReceiptDraft draft = receipts.begin(ctx.path(), ctx.method().name());
    ctx.setAttr(DRAFT, draft);
    ctx.setAdditionalResponseHeader(HEADER, draft.receiptId());
    HttpResponse res;
    try {
      res = delegate.serve(ctx, req);
    } catch (Exception e) {
      res = ApiError.internal().response();
    }
    HttpResponse observed =
        res.peekHeaders(
                h -> {
                  if (!h.status().isInformational()) {
                    draft.status(h.status().code());
                  }
                })
            .peekData(d -> draft.responseBytes(d.array(), 0, d.length()));
    observed
        .whenComplete()
        .handle(
            (v, err) -> {
              receipts.finish(draft);
              return null;
            });
    return observed;
  }
}
