package org.openshard.cli.demo;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.RequestSummary;

/**
 * Prints one line per chat completion that passes through the bridge's channel to the buyer: the
 * seller chosen, its price, the nullifier it accepted (hash prefix), the amount charged, the seller
 * receipt id. Reads only the gateway's {@link RequestSummary} (never request or response content).
 */
final class RequestLog implements ClientInterceptor {
  private final PrintStream out;
  private final List<DemoSeller> sellers;
  private final boolean priced;
  private final AtomicInteger counter = new AtomicInteger();

  RequestLog(PrintStream out, List<DemoSeller> sellers, boolean priced) {
    this.out = out;
    this.sellers = List.copyOf(sellers);
    this.priced = priced;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, options);
    if (!method.getFullMethodName().endsWith("/ChatCompletion")) {
      return call;
    }
    int n = counter.incrementAndGet();
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
              private boolean summarized;

              @Override
              public void onMessage(R message) {
                if (message instanceof ChatCompletionEvent && ((ChatCompletionEvent) message).hasSummary()) {
                  summarized = true;
                  print(line(n, ((ChatCompletionEvent) message).getSummary()));
                }
                super.onMessage(message);
              }

              @Override
              public void onClose(Status status, Metadata trailers) {
                if (!status.isOk() && !summarized) {
                  print("demo: request #" + n + " failed: " + status.getCode());
                }
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }

  /** The per-request line for a summary. */
  String line(int n, RequestSummary s) {
    DemoSeller seller = null;
    for (DemoSeller d : sellers) {
      if (d.peerId().equalsIgnoreCase(s.getSellerId())) {
        seller = d;
      }
    }
    String who = seller == null ? s.getSellerId() : seller.name() + " " + shortId(s.getSellerId());
    String price = seller == null ? "?" : DemoSeller.describePrice(seller, priced);
    return "demo: request #" + n + ": seller " + who + " (offering " + s.getOfferingId() + ", price " + price + ")"
        + ", nullifier " + prefix(s.getNullifierHash()) + "… accepted"
        + ", charged " + Long.toUnsignedString(s.getAmountCharged())
        + ", receipt " + (s.getReceiptId().isEmpty() ? "-" : s.getReceiptId())
        + ", attempts " + s.getAttempts();
  }

  private static String shortId(String id) {
    return id.length() > 10 ? id.substring(0, 10) + "…" : id;
  }

  private static String prefix(String hex) {
    return hex.length() > 12 ? hex.substring(0, 12) : (hex.isEmpty() ? "-" : hex);
  }
}
