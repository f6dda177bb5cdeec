package org.openshard.echo;

import java.time.Duration;
import java.util.List;

/**
 * Server-wide knobs of the echo upstream (tests and benchmarks). Each can also be set per request
 * with a header, which wins:
 *
 * <ul>
 *   <li>{@code X-Echo-Token-Delay-Ms: N} — wait N ms before each streamed piece (non-streaming
 *       responses wait N ms per token before answering).
 *   <li>{@code X-Echo-Fail-Status: NNN} — answer every POST with that HTTP status and an OpenAI
 *       error body.
 *   <li>{@code X-Echo-Fail-After-Tokens: N} — abort a stream after N content pieces (a mid-stream
 *       upstream failure).
 *   <li>{@code X-Echo-Reasoning: TEXT} — also answer TEXT as {@code reasoning_content}.
 * </ul>
 *
 * The same knobs may travel in the request body as {@code "x_echo": {"token_delay_ms": N,
 * "fail_status": NNN, "fail_after_tokens": N, "reasoning": "TEXT"}} (a header wins), so they reach
 * the echo through proxies, such as the HTTP bridge, that forward bodies but not headers.
 */
public final class EchoOptions {
  private final Duration tokenDelay;
  private final int failStatus;
  private final List<String> models;

  private EchoOptions(Duration tokenDelay, int failStatus, List<String> models) {
    this.tokenDelay = tokenDelay;
    this.failStatus = failStatus;
    this.models = List.copyOf(models);
  }

  public static EchoOptions defaults() {
    return new EchoOptions(Duration.ZERO, 0, List.of("echo"));
  }

  public EchoOptions withTokenDelay(Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException("token delay must be >= 0");
    }
    return new EchoOptions(d, failStatus, models);
  }

  /** 0 = never fail; otherwise an HTTP status 400..599. */
  public EchoOptions withFailStatus(int status) {
    if (status != 0 && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("fail status must be 0 or 400..599, was " + status);
    }
    return new EchoOptions(tokenDelay, status, models);
  }

  /** Model ids listed by GET /v1/models (any model is accepted and echoed back regardless). */
  public EchoOptions withModels(List<String> ids) {
    if (ids == null || ids.isEmpty()) {
      throw new IllegalArgumentException("at least one model id is needed");
    }
    return new EchoOptions(tokenDelay, failStatus, ids);
  }

  public Duration tokenDelay() {
    return tokenDelay;
  }

  public int failStatus() {
    return failStatus;
  }

  public List<String> models() {
    return models;
  }
}
