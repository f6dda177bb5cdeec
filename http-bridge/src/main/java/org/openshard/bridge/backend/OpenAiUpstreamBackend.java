package org.openshard.bridge.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.WebClientRequestPreparation;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;

/**
 * Proxies to any OpenAI-compatible server (vLLM, llama.cpp, the echo upstream, OpenAI itself) at a
 * base URL such as {@code http://127.0.0.1:8000/v1}, with Armeria's WebClient (HTTP/1.1 or h2c).
 *
 * <p>Streaming responses are decoded with {@link SseDecoder}: every {@code data:} event must be a
 * JSON object, {@code data: [DONE]} ends the stream, an event carrying an {@code error} object (or
 * of type {@code error}) fails it, and a stream that ends without {@code [DONE]} is reported as
 * truncated. Cancelling the returned publisher (the client went away) cancels the upstream request.
 */
public final class OpenAiUpstreamBackend implements ChatBackend {
  private static final String DONE = "[DONE]";
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private final URI baseUrl;
  private final WebClient client;
  private final ClientFactory factory;
  private final String apiKey;
  private final Duration responseTimeout;
  private final Duration streamTimeout;
  private final long maxResponseBytes;
  private final int maxEventBytes;

  private OpenAiUpstreamBackend(Builder b) {
    this.baseUrl = b.baseUrl;
    this.factory = ClientFactory.builder().connectTimeout(b.connectTimeout).build();
    this.client = WebClient.builder(b.baseUrl).factory(factory).build();
    this.apiKey = b.apiKey;
    this.responseTimeout = b.responseTimeout;
    this.streamTimeout = b.streamTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.maxEventBytes = b.maxEventBytes;
  }

  /** @param baseUrl e.g. {@code http://127.0.0.1:8000/v1} */
  public static Builder builder(String baseUrl) {
    return new Builder(baseUrl);
  }

  public URI baseUrl() {
    return baseUrl;
  }

  @Override
  public CompletableFuture<ObjectNode> chatCompletion(ObjectNode request, RequestContext ctx) {
    return postJson("chat/completions", request, ctx);
  }

  @Override
  public CompletableFuture<Publisher<ObjectNode>> streamChatCompletion(ObjectNode request, RequestContext ctx) {
    return postStream("chat/completions", request, ctx);
  }

  @Override
  public CompletableFuture<ObjectNode> completion(ObjectNode request, RequestContext ctx) {
    return postJson("completions", request, ctx);
  }

  @Override
  public CompletableFuture<Publisher<ObjectNode>> streamCompletion(ObjectNode request, RequestContext ctx) {
    return postStream("completions", request, ctx);
  }

  @Override
  public CompletableFuture<ObjectNode> models(RequestContext ctx) {
    WebClientRequestPreparation p = client.prepare().get(path("models"));
    return withAuth(p)
        .responseTimeout(responseTimeout)
        .maxResponseLength(maxResponseBytes)
        .execute()
        .aggregate()
        .handle((agg, err) -> toObject(agg, err, false));
  }

  private CompletableFuture<ObjectNode> postJson(String endpoint, ObjectNode request, RequestContext ctx) {
    byte[] body = serialize(request);
    ctx.forwarded(body, "upstream");
    return withAuth(client.prepare().post(path(endpoint)))
        .content(MediaType.JSON_UTF_8, body)
        .responseTimeout(responseTimeout)
        .maxResponseLength(maxResponseBytes)
        .execute()
        .aggregate()
        .handle((agg, err) -> toObject(agg, err, ctx.e2ee()));
  }

  private ObjectNode toObject(AggregatedHttpResponse agg, Throwable err, boolean e2ee) {
    if (err != null) {
      throw UpstreamErrors.fromThrowable(err);
    }
    int status = agg.status().code();
    byte[] bytes = agg.content().array();
    if (status < 200 || status > 299) {
      throw UpstreamErrors.fromStatus(status, bytes, e2ee);
    }
    try {
      JsonNode j = JSON.readTree(bytes);
      if (j == null || !j.isObject()) {
        throw BackendException.badGateway("upstream answered with something other than a JSON object", null);
      }
      return (ObjectNode) j;
    } catch (java.io.IOException e) {
      throw BackendException.badGateway("upstream answered with invalid JSON", null);
    }
  }

  private CompletableFuture<Publisher<ObjectNode>> postStream(String endpoint, ObjectNode request, RequestContext ctx) {
    byte[] body = serialize(request);
    ctx.forwarded(body, "upstream");
    HttpResponse res =
        withAuth(client.prepare().post(path(endpoint)))
            .content(MediaType.JSON_UTF_8, body)
            .header(HttpHeaderNames.ACCEPT, "text/event-stream")
            .responseTimeout(streamTimeout)
            .maxResponseLength(0)
            .execute();
    SplitHttpResponse split = res.split();
    CompletableFuture<Publisher<ObjectNode>> result = new CompletableFuture<>();
    split
        .headers()
        .handle(
            (headers, err) -> {
              if (err != null) {
                result.completeExceptionally(UpstreamErrors.fromThrowable(err));
                return null;
              }
              int status = headers.status().code();
              if (status < 200 || status > 299) {
                split.body()
                    .collect()
                    .handle(
                        (parts, e2) -> {
                          result.completeExceptionally(UpstreamErrors.fromStatus(status, concat(parts), ctx.e2ee()));
                          return null;
                        });
                return null;
              }
              MediaType ct = headers.contentType();
              if (ct == null || !ct.is(MediaType.EVENT_STREAM)) {
                split.body().abort();
                result.completeExceptionally(
                    BackendException.badGateway("upstream did not answer a stream request with text/event-stream", null));
                return null;
              }
              result.complete(decode(split.body()));
              return null;
            });
    return result;
  }

  /** Upstream body bytes → chunk objects (see the class comment for the rules). */
  private Publisher<ObjectNode> decode(StreamMessage<HttpData> body) {
    SseDecoder decoder = new SseDecoder(maxEventBytes);
    java.util.concurrent.atomic.AtomicBoolean doneFlag = new java.util.concurrent.atomic.AtomicBoolean();
    StreamMessage<List<ObjectNode>> batches =
        body.map(
            data -> {
              byte[] bytes;
              try {
                bytes = data.array();
              } finally {
                data.close(); // the server may subscribe with pooled buffers: release them here
              }
              List<ObjectNode> out = new ArrayList<>();
              for (SseEvent ev : decoder.feed(bytes)) {
                if (doneFlag.get()) {
                  continue;
                }
                if (DONE.equals(ev.data().trim())) {
                  doneFlag.set(true);
                  continue;
                }
                out.add(parseChunk(ev));
              }
              return out;
            });
    StreamMessage<List<ObjectNode>> end =
        StreamMessage.of(
            batches
                .whenComplete()
                .thenApply(
                    v ->
                        doneFlag.get()
                            ? StreamMessage.<List<ObjectNode>>of()
                            : StreamMessage.<List<ObjectNode>>aborted(
                                BackendException.badGateway("upstream stream ended without [DONE] (truncated)", null))));
    return StreamMessage.concat(batches, end).flatMap(list -> StreamMessage.of(list.toArray(new ObjectNode[0])), 1);
  }

  private static ObjectNode parseChunk(SseEvent ev) {
    JsonNode j;
    try {
      j = JSON.readTree(ev.data());
    } catch (java.io.IOException e) {
      throw new SseFormatException("an event's data is not JSON");
    }
    if (j == null || !j.isObject()) {
      throw new SseFormatException("an event's data is not a JSON object");
    }
    if ("error".equals(ev.type()) || (j.has("error") && j.get("error").isObject())) {
      throw new BackendException(502, "upstream_error", "upstream reported an error mid-stream", null);
    }
    return (ObjectNode) j;
  }

  private WebClientRequestPreparation withAuth(WebClientRequestPreparation p) {
    if (apiKey != null) {
      p.header(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
    }
    return p;
  }

  private static String path(String endpoint) {
    return "/" + endpoint;
  }

  private static byte[] serialize(ObjectNode request) {
    try {
      return JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request cannot be serialized", e);
    }
  }

  private static byte[] concat(List<HttpData> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (parts != null) {
      for (HttpData d : parts) {
        out.writeBytes(d.array());
        if (out.size() > 64 * 1024) {
          break;
        }
      }
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    factory.close();
  }

  @Override
  public String toString() {
    return "OpenAiUpstreamBackend(" + baseUrl + ")";
  }

  /** Builder for {@link OpenAiUpstreamBackend}. */
  public static final class Builder {
    private final URI baseUrl;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration responseTimeout = Duration.ofMinutes(5);
    private Duration streamTimeout = Duration.ofMinutes(30);
    private long maxResponseBytes = 64L * 1024 * 1024;
    private int maxEventBytes = 8 * 1024 * 1024;

    private Builder(String baseUrl) {
      URI u;
      try {
        u = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad upstream URL '" + baseUrl + "'; expected e.g. http://127.0.0.1:8000/v1");
      }
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
        throw new IllegalArgumentException("bad upstream URL '" + baseUrl + "'; expected e.g. http://127.0.0.1:8000/v1");
      }
      this.baseUrl = u;
    }

    /** Sent as {@code Authorization: Bearer} to the upstream (never the client's key). */
    public Builder apiKey(String key) {
      this.apiKey = key == null || key.isBlank() ? null : key.trim();
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    /** Whole-response timeout for non-streaming calls. */
    public Builder responseTimeout(Duration d) {
      this.responseTimeout = d;
      return this;
    }

    /** Whole-stream timeout for streaming calls. */
    public Builder streamTimeout(Duration d) {
      this.streamTimeout = d;
      return this;
    }

    public Builder maxResponseBytes(long n) {
      this.maxResponseBytes = n;
      return this;
    }

    public Builder maxEventBytes(int n) {
      this.maxEventBytes = n;
      return this;
    }

    public OpenAiUpstreamBackend build() {
      return new OpenAiUpstreamBackend(this);
    }
  }
}
