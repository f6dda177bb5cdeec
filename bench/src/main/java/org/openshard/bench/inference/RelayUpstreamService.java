package org.openshard.bench.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.upstream.SseDecoder;
import org.openshard.seller.upstream.SseEvent;
import org.openshard.seller.upstream.SseException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Relay B of the {@link PlainRelay}: posts the application's {@code openai_request_json}
 * unchanged to the upstream's {@code /chat/completions} and answers with the events the buyer's
 * gateway sends: per SSE event one chunk (the event's JSON and choices[0].delta.content), or for a
 * non-streamed request one completion (the response JSON and choices[0].message.content); then a
 * summary with the usage the upstream reported. Failures end the call with UNAVAILABLE (no
 * upstream text is passed on).
 *
 * <p>Handlers run on the transport threads (directExecutor) and never block; the upstream body is
 * read one piece at a time and the next piece is requested only when the gRPC stream is ready.
 */
final class RelayUpstreamService extends GatewayGrpc.GatewayImplBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebClient upstream;
  private final String path;

  RelayUpstreamService(WebClient upstream, String path) {
    this.upstream = Objects.requireNonNull(upstream);
    this.path = Objects.requireNonNull(path);
  }

  @Override
  public void chatCompletion(ChatCompletionRequest request, StreamObserver<ChatCompletionEvent> observer) {
    ServerCallStreamObserver<ChatCompletionEvent> out = (ServerCallStreamObserver<ChatCompletionEvent>) observer;
    String body = request.getOpenaiRequestJson();
    boolean stream;
    try {
      stream = JSON.readTree(body).path("stream").asBoolean(false);
    } catch (IOException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("openai_request_json is not JSON").asRuntimeException());
      return;
    }
    RequestHeaders headers =
        RequestHeaders.builder(HttpMethod.POST, path)
            .contentType(MediaType.JSON_UTF_8)
            .set(HttpHeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json")
            .build();
    HttpResponse res = upstream.execute(HttpRequest.of(headers, HttpData.ofUtf8(body)));
    out.setOnCancelHandler(res::abort);
    if (stream) {
      new Streamed(out).begin(res.split());
    } else {
      res.aggregate()
          .handle(
              (agg, cause) -> {
                if (cause != null || agg.status().code() != 200) {
                  fail(out, cause != null ? "upstream request failed" : "upstream answered HTTP " + agg.status().code());
                  return null;
                }
                String json = agg.contentUtf8();
                JsonNode root;
                try {
                  root = JSON.readTree(json);
                } catch (IOException e) {
                  fail(out, "upstream response is not JSON");
                  return null;
                }
                String content = root.path("choices").path(0).path("message").path("content").asText("");
                out.onNext(
                    ChatCompletionEvent.newBuilder()
                        .setCompletion(ChatCompletion.newBuilder().setOpenaiResponseJson(json).setContent(content))
                        .build());
                finish(out, usage(root.get("usage")));
                return null;
              });
    }
  }

  private static void finish(ServerCallStreamObserver<ChatCompletionEvent> out, Usage usage) {
    if (out.isCancelled()) {
      return;
    }
    RequestSummary.Builder s = RequestSummary.newBuilder().setAttempts(1);
    if (usage != null) {
      s.setUsage(usage);
    }
    out.onNext(ChatCompletionEvent.newBuilder().setSummary(s).build());
    out.onCompleted();
  }

  private static void fail(ServerCallStreamObserver<ChatCompletionEvent> out, String what) {
    if (!out.isCancelled()) {
      out.onError(Status.UNAVAILABLE.withDescription(what).asRuntimeException());
    }
  }

  private static Usage usage(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    return Usage.newBuilder()
        .setPromptTokens(Math.max(0, u.path("prompt_tokens").asLong(0)))
        .setCompletionTokens(Math.max(0, u.path("completion_tokens").asLong(0)))
        .build();
  }

  /** One streamed exchange: the upstream's SSE body, piece by piece, as gateway chunks. */
  private static final class Streamed implements Subscriber<HttpData> {
    private final ServerCallStreamObserver<ChatCompletionEvent> out;
    private final SseDecoder decoder = new SseDecoder();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** The subscription waiting for the gRPC stream to become ready, if any. */
    private final AtomicReference<Subscription> parked = new AtomicReference<>();
    private volatile Subscription subscription;
    private Usage usage;
    private boolean doneSeen;

    Streamed(ServerCallStreamObserver<ChatCompletionEvent> out) {
      this.out = out;
      out.setOnReadyHandler(this::onReady);
    }

    void begin(SplitHttpResponse split) {
      split.headers()
          .handle(
              (ResponseHeaders h, Throwable cause) -> {
                MediaType ct = h == null ? null : h.contentType();
                if (cause != null || h.status().code() != 200 || ct == null || !ct.is(MediaType.EVENT_STREAM)) {
                  split.body().abort();
                  end(cause != null ? "upstream request failed" : "upstream did not answer with an event stream");
                } else {
                  split.body().subscribe(this);
                }
                return null;
              });
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(HttpData data) {
      if (ended.get()) {
        subscription.request(1);
        return;
      }
      try {
        List<SseEvent> events = decoder.feed(data.array());
        for (SseEvent e : events) {
          if (doneSeen) {
            break;
          }
          if (e.data().equals("[DONE]")) {
            doneSeen = true;
            break;
          }
          JsonNode root = JSON.readTree(e.data());
          JsonNode u = root.get("usage");
          if (u != null && u.isObject()) {
            usage = usage(u);
          }
          String delta = root.path("choices").path(0).path("delta").path("content").asText("");
          if (!out.isCancelled()) {
            out.onNext(
                ChatCompletionEvent.newBuilder()
                    .setChunk(ChatChunk.newBuilder().setOpenaiChunkJson(e.data()).setContentDelta(delta))
                    .build());
          }
        }
      } catch (SseException | IOException e) {
        subscription.cancel();
        end("upstream sent a malformed event stream");
        return;
      }
      if (doneSeen) {
        if (ended.compareAndSet(false, true)) {
          finish(out, usage);
        }
        subscription.request(Long.MAX_VALUE);
        return;
      }
      Subscription s = subscription;
      if (out.isReady() || out.isCancelled()) {
        s.request(1);
      } else {
        parked.set(s);
        // onReady may have fired between the check and the park.
        if ((out.isReady() || out.isCancelled()) && parked.compareAndSet(s, null)) {
          s.request(1);
        }
      }
    }

    private void onReady() {
      Subscription s = parked.getAndSet(null);
      if (s != null) {
        s.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      end("upstream stream failed");
    }

    @Override
    public void onComplete() {
      boolean clean = decoder.finish();
      if (!doneSeen || !clean) {
        end("upstream stream ended before [DONE]");
      }
    }

    private void end(String what) {
      if (ended.compareAndSet(false, true)) {
        fail(out, what);
      }
    }
  }
}
