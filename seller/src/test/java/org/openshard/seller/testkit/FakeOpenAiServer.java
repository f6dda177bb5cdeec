package org.openshard.seller.testkit;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server speaking OpenAI chat completions for upstream tests (Armeria, loopback). What
 * it answers is set by {@link #mode}; it records each request's body and Authorization header and
 * counts requests the client cancelled mid-response.
 */
public final class FakeOpenAiServer implements AutoCloseable {
  /** How to answer. */
  public enum Mode {
    /** The SSE stream of {@link #streamBody}, written in small pieces at odd offsets. */
    STREAM,
    /** {@link #jsonBody} as application/json. */
    JSON,
    /** HTTP {@link #errorStatus} with an error body that quotes the prompt. */
    ERROR,
    /** Headers, then nothing, forever. */
    HANG,
    /** Headers, then one SSE chunk every 20 ms forever (until the client goes away). */
    ENDLESS,
    /** A stream that ends without [DONE] or finish_reason. */
    TRUNCATED,
    /** A stream with an in-band error event. */
    STREAM_ERROR,
  }

  private final Server server;
  public volatile Mode mode;
  public volatile String streamBody;
  public volatile String jsonBody;
  public volatile int errorStatus;
  public volatile int pieceSize;
  public final List<String> bodies = new CopyOnWriteArrayList<>();
  public final List<String> authorizations = new CopyOnWriteArrayList<>();
  public final AtomicInteger cancellations = new AtomicInteger();
  public final AtomicInteger started = new AtomicInteger();
  /** Completes when a request is first cancelled by the client (replaced by {@link #reset()}). */
  public volatile CompletableFuture<Void> cancelled;

  public FakeOpenAiServer() {
    reset();
    server =
        Server.builder()
            .http(0)
            .requestTimeout(Duration.ZERO)
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
            .service("/v1/chat/completions", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(a -> answer(ctx, a))))
            .build();
    server.start().join();
  }

  /** Back to the defaults, with empty records (one server serves a whole test class). */
  public void reset() {
    mode = Mode.STREAM;
    streamBody = defaultStream(List.of("Hel", "lo", " wörld"), true);
    errorStatus = 400;
    pieceSize = 7;
    bodies.clear();
    authorizations.clear();
    cancellations.set(0);
    started.set(0);
    cancelled = new CompletableFuture<>();
    jsonBody =
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,"
          + "\"total_tokens\":14,\"prompt_tokens_details\":{\"cached_tokens\":4}}}";
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.activeLocalPort() + "/v1";
  }

  /** An OpenAI stream of content deltas, a finish chunk, a usage-only chunk and [DONE]. */
  public static String defaultStream(List<String> deltas, boolean usageChunk) {
    StringBuilder sb = new StringBuilder();
    for (String d : deltas) {
      sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(d)
          .append("\"},\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
        + "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    if (usageChunk) {
      sb.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,"
          + "\"completion_tokens\":3,\"total_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":2}}}\n\n");
    }
    sb.append("data: [DONE]\n\n");
    return sb.toString();
  }

  private HttpResponse answer(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    started.incrementAndGet();
    bodies.add(req.contentUtf8());
    String auth = req.headers().get("authorization");
    authorizations.add(auth == null ? "" : auth);
    switch (mode) {
      case JSON:
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, jsonBody);
      case ERROR:
        return HttpResponse.of(
            HttpStatus.valueOf(errorStatus),
            MediaType.JSON_UTF_8,
            "{\"error\":{\"message\":\"your prompt " + req.contentUtf8().replace("\"", "'")
                + " is bad\",\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}");
      case HANG:
        return watch(ctx, HttpResponse.streaming(), true);
      case ENDLESS:
        {
          HttpResponseWriter w = watch(ctx, HttpResponse.streaming(), true);
          AtomicInteger n = new AtomicInteger();
          var f =
              ctx.eventLoop()
                  .scheduleAtFixedRate(
                      () -> {
                        if (w.isOpen()) {
                          w.tryWrite(HttpData.ofUtf8("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t"
                              + n.getAndIncrement() + "\"}}]}\n\n"));
                        }
                      },
                      0,
                      20,
                      TimeUnit.MILLISECONDS);
          w.whenComplete().handle((v, t) -> f.cancel(false));
          return w;
        }
      case TRUNCATED:
        return sse(ctx, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n");
      case STREAM_ERROR:
        return sse(ctx, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"secret prompt echoed\",\"type\":\"server_error\"}}\n\n");
      case STREAM:
      default:
        return sse(ctx, streamBody);
    }
  }

  private HttpResponseWriter watch(ServiceRequestContext ctx, HttpResponseWriter w, boolean headers) {
    AtomicBoolean counted = new AtomicBoolean();
    Runnable count = () -> {
      if (counted.compareAndSet(false, true)) {
        cancellations.incrementAndGet();
        cancelled.complete(null);
      }
    };
    w.whenComplete().handle((v, t) -> {
      if (t != null) {
        count.run();
      }
      return null;
    });
    ctx.whenRequestCancelling().thenRun(count);
    if (headers) {
      w.write(ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM.toString()));
    }
    return w;
  }

  private HttpResponse sse(ServiceRequestContext ctx, String body) {
    HttpResponseWriter w = watch(ctx, HttpResponse.streaming(), true);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<HttpData> pieces = new ArrayList<>();
    for (int off = 0; off < bytes.length; off += pieceSize) {
      int n = Math.min(pieceSize, bytes.length - off);
      byte[] p = new byte[n];
      System.arraycopy(bytes, off, p, 0, n);
      pieces.add(HttpData.wrap(p));
    }
    writeNext(ctx, w, pieces, 0);
    return w;
  }

  private void writeNext(ServiceRequestContext ctx, HttpResponseWriter w, List<HttpData> pieces, int i) {
    if (i == pieces.size()) {
      w.close();
      return;
    }
    if (!w.tryWrite(pieces.get(i))) {
      return;
    }
    // Yield between pieces so the client really sees them separately.
    ctx.eventLoop().schedule(() -> writeNext(ctx, w, pieces, i + 1), 1, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
