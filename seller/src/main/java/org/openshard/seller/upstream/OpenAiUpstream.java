package org.openshard.seller.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.RequestOptions;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.common.TimeoutException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.StageException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An OpenAI-compatible upstream (vLLM, Ollama, llama.cpp server, OpenAI, ...): {@code POST
 * <base>/chat/completions} through an Armeria {@link WebClient}.
 *
 * <ul>
 *   <li>The base URL looks like {@code http://HOST:PORT/v1}. Plain {@code http} upstreams are
 *       spoken to over HTTP/1.1 (what vLLM, Ollama and llama.cpp serve); {@code https} negotiates.
 *   <li>The API key, if any, is sent as {@code Authorization: Bearer <key>}; the CLI reads it from
 *       {@value #API_KEY_ENV}. It is never logged.
 *   <li>Streaming responses are decoded with {@link SseDecoder} and each chunk is handed on as it
 *       arrives; the body is read one piece at a time, as fast as the {@link FlowControl} allows.
 *   <li>HTTP errors, malformed streams and unreachable upstreams are UPSTREAM_ERROR; timeouts are
 *       UPSTREAM_TIMEOUT. Error messages carry the HTTP status and the OpenAI error type/code,
 *       never the upstream's error text (which may quote the prompt).
 * </ul>
 */
public final class OpenAiUpstream implements Upstream {
  /** The environment variable the CLI reads the upstream API key from. */
  public static final String API_KEY_ENV = "OPENSHARD_UPSTREAM_API_KEY";

  private static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  private final WebClient client;
  private final String path;
  private final String apiKey;
  private final URI baseUrl;

  private OpenAiUpstream(Builder b) {
    this.baseUrl = b.baseUrl;
    String scheme = b.baseUrl.getScheme().toLowerCase(Locale.ROOT);
    String authority = b.baseUrl.getRawAuthority();
    String armeriaScheme = scheme.equals("http") ? "h1c" : "https";
    var wb =
        WebClient.builder(armeriaScheme + "://" + authority)
            .maxResponseLength(MAX_RESPONSE_BYTES)
            .responseTimeout(b.defaultTimeout);
    if (b.factory != null) {
      wb.factory(b.factory);
    }
    this.client = wb.build();
    String p = b.baseUrl.getRawPath() == null ? "" : b.baseUrl.getRawPath();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    this.path = p + "/chat/completions";
    this.apiKey = b.apiKey;
  }

  /** A builder for the upstream at {@code baseUrl} (e.g. {@code http://127.0.0.1:8000/v1}). */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  /** The base URL as configured. */
  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public UpstreamCall start(UpstreamRequest request, UpstreamListener listener, FlowControl flow) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(flow, "flow");
    OpenAiRequest app = request.request();
    boolean stream = app.stream();
    RequestHeadersBuilder h =
        RequestHeaders.builder(HttpMethod.POST, path)
            .contentType(MediaType.JSON_UTF_8)
            .set(HttpHeaderNames.ACCEPT, stream ? "text/event-stream" : "application/json");
    if (apiKey != null && !apiKey.isEmpty()) {
      h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
    }
    HttpRequest req = HttpRequest.of(h.build(), HttpData.wrap(app.upstreamBody(request.upstreamModel())));
    Exchange ex = new Exchange(listener, flow, stream, app.applicationWantsUsage());
    HttpResponse res;
    try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
      res = client.execute(req, RequestOptions.builder().responseTimeout(request.timeout()).build());
      ex.ctx = captor.getOrNull();
    }
    ex.begin(res);
    return ex;
  }

  /** One request/response exchange. Callbacks run on the response's event loop. */
  private static final class Exchange implements UpstreamCall, Subscriber<HttpData> {
    private final UpstreamListener listener;
    private final FlowControl flow;
    private final boolean stream;
    private final ChatStreamRelay relay;
    private final SseDecoder decoder = new SseDecoder();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    volatile ClientRequestContext ctx;
    private volatile HttpResponse response;
    private volatile Subscription subscription;

    Exchange(UpstreamListener listener, FlowControl flow, boolean stream, boolean applicationWantsUsage) {
      this.listener = listener;
      this.flow = flow;
      this.stream = stream;
      this.relay = new ChatStreamRelay(applicationWantsUsage);
    }

    void begin(HttpResponse res) {
      this.response = res;
      SplitHttpResponse split = res.split();
      split.headers()
          .handle(
              (headers, cause) -> {
                if (cause != null) {
                  fail(mapFailure(cause));
                  split.body().abort();
                } else {
                  onHeaders(headers, split);
                }
                return null;
              });
    }

    private void onHeaders(ResponseHeaders headers, SplitHttpResponse split) {
      int status = headers.status().code();
      if (status < 200 || status > 299) {
        split.body()
            .collectBytes()
            .handle(
                (bytes, cause) -> {
                  String kind = bytes == null ? "" : ChatStreamRelay.errorKind(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                  fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream answered HTTP " + status + kind)
                      .withRetryable(status == 429 || status >= 500));
                  return null;
                });
        return;
      }
      if (!stream) {
        split.body()
            .collectBytes()
            .handle(
                (bytes, cause) -> {
                  if (cause != null) {
                    fail(mapFailure(cause));
                  } else {
                    onWholeResponse(bytes);
                  }
                  return null;
                });
        return;
      }
      MediaType ct = headers.contentType();
      if (ct == null || !ct.is(MediaType.EVENT_STREAM)) {
        split.body().abort();
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream did not answer a streaming request with text/event-stream"));
        return;
      }
      split.body().subscribe(this);
    }

    private void onWholeResponse(byte[] bytes) {
      JsonNode root;
      try {
        root = OpenAiRequest.JSON.readTree(bytes);
      } catch (java.io.IOException e) {
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream's response is not valid JSON"));
        return;
      }
      if (root == null || !root.isObject()) {
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream's response is not a JSON object"));
        return;
      }
      JsonNode err = root.get("error");
      if (err != null && !err.isNull()) {
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream reported an error" + ChatStreamRelay.errorKind(root)));
        return;
      }
      Usage usage = UsageJson.read(root.get("usage"));
      if (finished.compareAndSet(false, true) && !cancelled.get()) {
        safely(() -> listener.onResponse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        safely(() -> listener.onComplete(usage == null ? Usage.getDefaultInstance() : usage));
      }
    }

    @Override
    public void onSubscribe(Subscription s) {
      this.subscription = s;
      if (cancelled.get()) {
        s.cancel();
        return;
      }
      s.request(1);
    }

    @Override
    public void onNext(HttpData data) {
      if (finished.get() || cancelled.get()) {
        subscription.request(1);
        return;
      }
      try {
        List<SseEvent> events = decoder.feed(data.array());
        for (SseEvent e : events) {
          String relayed = relay.onEvent(e);
          if (relayed != null && !cancelled.get()) {
            safely(() -> listener.onChunk(relayed));
          }
          if (relay.done()) {
            complete();
            break;
          }
        }
      } catch (SseException e) {
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream sent a malformed event stream: " + e.getMessage()));
        cancelTransport();
        return;
      } catch (StageException e) {
        fail(e);
        cancelTransport();
        return;
      }
      if (finished.get()) {
        // After [DONE] the rest is drained without backpressure (the upstream is about to close).
        subscription.request(Long.MAX_VALUE);
      } else {
        Subscription s = subscription;
        flow.whenReady(() -> s.request(1));
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(mapFailure(t));
    }

    @Override
    public void onComplete() {
      boolean clean = decoder.finish();
      if (finished.get()) {
        return;
      }
      if (relay.finishSeen() && clean) {
        complete();
      } else {
        fail(StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream's event stream ended before [DONE]"));
      }
    }

    private void complete() {
      if (finished.compareAndSet(false, true) && !cancelled.get()) {
        Usage usage = relay.usage();
        safely(() -> listener.onComplete(usage));
      }
    }

    private void fail(StageException e) {
      if (finished.compareAndSet(false, true) && !cancelled.get()) {
        safely(() -> listener.onError(e));
      }
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        cancelTransport();
      }
    }

    private void cancelTransport() {
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      ClientRequestContext c = ctx;
      if (c != null) {
        c.cancel();
      }
      HttpResponse r = response;
      if (r != null) {
        r.abort();
      }
    }

    private static void safely(Runnable r) {
      try {
        r.run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(OpenAiUpstream.class)
            .warn("upstream listener failed: {}", e.getClass().getName());
      }
    }

    static StageException mapFailure(Throwable t) {
      for (Throwable c = t; c != null; c = c.getCause()) {
        if (c instanceof TimeoutException || c instanceof java.util.concurrent.TimeoutException) {
          return StageException.of(ErrorCode.UPSTREAM_TIMEOUT, "the upstream did not answer in time");
        }
        if (c instanceof ConnectException) {
          return StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream is unreachable (connection refused)");
        }
        if (c instanceof UnprocessedRequestException && c.getCause() == null) {
          return StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream is unreachable");
        }
      }
      return StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream request failed (" + t.getClass().getSimpleName() + ")");
    }
  }

  /** Builder for {@link OpenAiUpstream}. */
  public static final class Builder {
    private final URI baseUrl;
    private String apiKey;
    private Duration defaultTimeout = Duration.ofMinutes(5);
    private ClientFactory factory;

    private Builder(String baseUrl) {
      URI u;
      try {
        u = URI.create(Objects.requireNonNull(baseUrl, "baseUrl").trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("upstream URL '" + baseUrl + "' is not a URL; expected http://HOST:PORT/v1");
      }
      String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!s.equals("http") && !s.equals("https") || u.getHost() == null) {
        throw new IllegalArgumentException("upstream URL '" + baseUrl + "' must be http(s)://HOST[:PORT]/PATH, e.g. http://127.0.0.1:8000/v1");
      }
      if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
        throw new IllegalArgumentException("upstream URL must not carry a query, fragment or credentials; use the API key variable");
      }
      this.baseUrl = u;
    }

    /** The API key sent as a Bearer token (null or empty: none). */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** The default total time limit of a request, used when the caller passes none. */
    public Builder defaultTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.defaultTimeout = timeout;
      return this;
    }

    /** A shared Armeria client factory (default: Armeria's default factory). */
    public Builder clientFactory(ClientFactory factory) {
      this.factory = factory;
      return this;
    }

    public OpenAiUpstream build() {
      return new OpenAiUpstream(this);
    }
  }
}
