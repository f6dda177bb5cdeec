package org.openshard.echo;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Duration;
import java.util.List;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.HttpListener;

/**
 * An OpenAI-compatible echo upstream over real HTTP (HTTP/1.1 and h2c on one port), for tests,
 * demos and benchmarks.
 *
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: answers the last user message's text ({@link EchoText}),
 *       as JSON or, with {@code "stream": true}, as SSE {@code chat.completion.chunk} events (a role
 *       chunk, one chunk per word, a finish chunk, a usage chunk if {@code
 *       stream_options.include_usage}), then {@code data: [DONE]}.
 *   <li>{@code POST /v1/completions}: echoes the prompt (a string or an array of strings).
 *   <li>{@code GET /v1/models}; {@code GET /debug/stats} ({@link EchoStats}).
 * </ul>
 *
 * Errors use the OpenAI shape. Knobs: {@link EchoOptions}.
 */
public final class EchoServer implements AutoCloseable {
  private final HttpListener http;
  private final EchoStats stats;

  private EchoServer(HttpListener http, EchoStats stats) {
    this.http = http;
    this.stats = stats;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return http.port();
  }

  public String host() {
    return http.host();
  }

  /** The OpenAI base URL, {@code http://host:port/v1}. */
  public String baseUrl() {
    return http.url("/v1");
  }

  public EchoStats stats() {
    return stats;
  }

  @Override
  public void close() {
    http.close();
  }

  /** Builder for {@link EchoServer}. */
  public static final class Builder {
    private ListenAddress listen = ListenAddress.loopback(0);
    private EchoOptions options = EchoOptions.defaults();
    private boolean announce;

    private Builder() {}

    public Builder listen(ListenAddress address) {
      this.listen = address;
      return this;
    }

    public Builder options(EchoOptions o) {
      this.options = o;
      return this;
    }

    public Builder tokenDelay(Duration d) {
      this.options = options.withTokenDelay(d);
      return this;
    }

    public Builder failStatus(int status) {
      this.options = options.withFailStatus(status);
      return this;
    }

    public Builder models(List<String> ids) {
      this.options = options.withModels(ids);
      return this;
    }

    /** Print {@code LISTENING upstream-echo http://host:port} once started. */
    public Builder announce(boolean a) {
      this.announce = a;
      return this;
    }

    public EchoServer start() {
      EchoStats stats = new EchoStats();
      EchoHandler h = new EchoHandler(options, stats);
      Server server =
          Server.builder()
              .http(listen.toSocketAddress())
              .requestTimeout(Duration.ZERO)
              .maxRequestLength(16L * 1024 * 1024)
              .route()
              .post("/v1/chat/completions")
              .build((ctx, req) -> h.chat(ctx, req))
              .route()
              .post("/v1/completions")
              .build((ctx, req) -> h.completions(ctx, req))
              .route()
              .get("/v1/models")
              .build((ctx, req) -> h.models())
              .route()
              .get("/debug/stats")
              .build((ctx, req) -> h.stats())
              .errorHandler(new ErrorHandler())
              .build();
      return new EchoServer(HttpListener.start(server, listen.host(), announce ? "upstream-echo" : null), stats);
    }
  }

  /** Renders every error status (404, 405, 413, ...) in the OpenAI shape. */
  private static final class ErrorHandler implements ServerErrorHandler {
    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
      return OpenAiErrors.response(500, "echo: internal error", null);
    }

    @Override
    public AggregatedHttpResponse renderStatus(
        ServiceRequestContext ctx,
        ServiceConfig config,
        RequestHeaders headers,
        HttpStatus status,
        String description,
        Throwable cause) {
      String msg = status.reasonPhrase() + (description != null ? ": " + description : "");
      return OpenAiErrors.aggregated(status.code(), msg);
    }
  }
}
