package org.openshard.echo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** The echo's request handling: chat completions, completions, models and stats. */
final class EchoHandler {
  static final String H_DELAY = "x-echo-token-delay-ms";
  static final String H_FAIL_STATUS = "x-echo-fail-status";
  static final String H_FAIL_AFTER = "x-echo-fail-after-tokens";
  static final String H_REASONING = "x-echo-reasoning";
  /** The same knobs as a request body member, so they survive proxies that drop headers. */
  static final String BODY_KNOBS = "x_echo";
  private static final int MAX_N = 8;

  private final ObjectMapper json = new ObjectMapper();
  private final EchoOptions options;
  private final EchoStats stats;

  EchoHandler(EchoOptions options, EchoStats stats) {
    this.options = options;
    this.stats = stats;
  }

  HttpResponse models() {
    ObjectNode root = json.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String id : options.models()) {
      ObjectNode m = data.addObject();
      m.put("id", id);
      m.put("object", "model");
      m.put("created", 0);
      m.put("owned_by", "openshard-echo");
    }
    return jsonResponse(root);
  }

  HttpResponse stats() {
    return jsonResponse(stats.toJson());
  }

  HttpResponse chat(ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(req.aggregate().thenApply(agg -> handle(ctx, agg, true)));
  }

  HttpResponse completions(ServiceRequestContext ctx, HttpRequest req) {
    return HttpResponse.of(req.aggregate().thenApply(agg -> handle(ctx, agg, false)));
  }

  private HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest agg, boolean chat) {
    stats.requests.incrementAndGet();
    byte[] body = agg.content().array();
    stats.lastBodySha256.set(sha256Hex(body));
    RequestHeaders headers = agg.headers();
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (java.io.IOException e) {
      return OpenAiErrors.response(400, "request body is not valid JSON", null);
    }
    if (root == null || !root.isObject()) {
      return OpenAiErrors.response(400, "request body must be a JSON object", null);
    }
    JsonNode knobs = root.path(BODY_KNOBS);
    int failStatus = knob(headers, H_FAIL_STATUS, knobs, "fail_status", options.failStatus());
    if (failStatus >= 400 && failStatus <= 599) {
      return OpenAiErrors.response(failStatus, "echo: failing with status " + failStatus + " as requested", null);
    }
    if (!root.path("model").isTextual()) {
      return OpenAiErrors.response(400, "you must provide a model parameter", "model");
    }
    String model = root.get("model").asText();
    int n = root.path("n").asInt(1);
    if (n < 1 || n > MAX_N) {
      return OpenAiErrors.response(400, "n must be 1.." + MAX_N, "n");
    }
    boolean stream = root.path("stream").asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    Duration delay = Duration.ofMillis(knob(headers, H_DELAY, knobs, "token_delay_ms", (int) options.tokenDelay().toMillis()));
    int failAfter = knob(headers, H_FAIL_AFTER, knobs, "fail_after_tokens", -1);
    Answer answer;
    if (chat) {
      if (!root.path("messages").isArray()) {
        return OpenAiErrors.response(400, "messages must be an array", "messages");
      }
      JsonNode messages = root.get("messages");
      String text = EchoText.lastUserText(messages);
      String reasoning = headers.get(H_REASONING, knobs.path("reasoning").asText(""));
      List<String> outputs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        outputs.add(text);
      }
      answer = new Answer(model, outputs, reasoning, EchoText.promptTokens(messages), true);
    } else {
      JsonNode prompt = root.path("prompt");
      List<String> prompts = new ArrayList<>();
      if (prompt.isTextual()) {
        prompts.add(prompt.asText());
      } else if (prompt.isArray() && prompt.size() > 0) {
        for (JsonNode p : prompt) {
          if (!p.isTextual()) {
            return OpenAiErrors.response(400, "prompt must be a string or an array of strings", "prompt");
          }
          prompts.add(p.asText());
        }
      } else {
        return OpenAiErrors.response(400, "prompt must be a string or an array of strings", "prompt");
      }
      List<String> outputs = new ArrayList<>();
      int promptTokens = 0;
      for (String p : prompts) {
        promptTokens += EchoText.countTokens(p);
        for (int i = 0; i < n; i++) {
          outputs.add(p);
        }
      }
      answer = new Answer(model, outputs, "", promptTokens, false);
    }
    if (!stream) {
      ObjectNode full = answer.full();
      long waitMs = delay.toMillis() * answer.completionTokens();
      if (waitMs <= 0) {
        return jsonResponse(full);
      }
      HttpResponseWriter res = HttpResponse.streaming();
      ctx.eventLoop()
          .schedule(
              () -> {
                res.write(ResponseHeaders.of(HttpStatus.OK, HttpHeaderNames.CONTENT_TYPE, MediaType.JSON_UTF_8));
                res.write(HttpData.wrap(toBytes(full)));
                res.close();
              },
              waitMs,
              TimeUnit.MILLISECONDS);
      return res;
    }
    return stream(ctx, answer, includeUsage, delay, failAfter);
  }

  private HttpResponse stream(
      ServiceRequestContext ctx, Answer answer, boolean includeUsage, Duration delay, int failAfter) {
    List<Step> steps = answer.chunks(includeUsage);
    HttpResponseWriter res = HttpResponse.streaming();
    res.write(
        ResponseHeaders.builder(HttpStatus.OK)
            .contentType(MediaType.EVENT_STREAM)
            .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
            .build());
    stats.streamsStarted.incrementAndGet();
    AtomicBoolean endedByUs = new AtomicBoolean();
    res.whenComplete()
        .handle(
            (v, err) -> {
              if (err != null && !endedByUs.get()) {
                stats.streamsCancelled.incrementAndGet();
              }
              return null;
            });
    new Emitter(ctx, res, steps, delay.toMillis(), failAfter, endedByUs).next(0, 0);
    return res;
  }

  /** Writes the steps one by one, waiting {@code delayMs} before each content piece. */
  private final class Emitter {
    private final ServiceRequestContext ctx;
    private final HttpResponseWriter res;
    private final List<Step> steps;
    private final long delayMs;
    private final int failAfter;
    private final AtomicBoolean endedByUs;

    Emitter(
        ServiceRequestContext ctx,
        HttpResponseWriter res,
        List<Step> steps,
        long delayMs,
        int failAfter,
        AtomicBoolean endedByUs) {
      this.ctx = ctx;
      this.res = res;
      this.steps = steps;
      this.delayMs = delayMs;
      this.failAfter = failAfter;
      this.endedByUs = endedByUs;
    }

    void next(int i, int piecesSent) {
      while (i < steps.size()) {
        if (!res.isOpen()) {
          return;
        }
        Step s = steps.get(i);
        if (s.piece && failAfter >= 0 && piecesSent >= failAfter) {
          endedByUs.set(true);
          stats.streamsFailed.incrementAndGet();
          res.close(new IllegalStateException("echo: failing mid-stream as requested"));
          return;
        }
        if (s.piece && delayMs > 0) {
          int at = i;
          int sent = piecesSent;
          ctx.eventLoop().schedule(() -> emitDelayed(at, sent), delayMs, TimeUnit.MILLISECONDS);
          return;
        }
        if (!res.tryWrite(sse(s.chunk))) {
          return;
        }
        if (s.piece) {
          piecesSent++;
        }
        i++;
      }
      if (res.tryWrite(HttpData.ofUtf8("data: [DONE]\n\n"))) {
        endedByUs.set(true);
        stats.streamsCompleted.incrementAndGet();
        res.close();
      }
    }

    private void emitDelayed(int i, int piecesSent) {
      Step s = steps.get(i);
      if (!res.isOpen()) {
        return;
      }
      if (!res.tryWrite(sse(s.chunk))) {
        return;
      }
      next(i + 1, piecesSent + 1);
    }
  }

  /** One SSE event to send; {@code piece} marks content pieces (the ones delayed and counted). */
  private static final class Step {
    final ObjectNode chunk;
    final boolean piece;

    Step(ObjectNode chunk, boolean piece) {
      this.chunk = chunk;
      this.piece = piece;
    }
  }

  /** What the echo answers, in both shapes. */
  private final class Answer {
    final String model;
    final List<String> outputs;
    final String reasoning;
    final int promptTokens;
    final boolean chat;
    final String id;
    final long created = System.currentTimeMillis() / 1000;

    Answer(String model, List<String> outputs, String reasoning, int promptTokens, boolean chat) {
      this.model = model;
      this.outputs = outputs;
      this.reasoning = reasoning;
      this.promptTokens = promptTokens;
      this.chat = chat;
      this.id = (chat ? "chatcmpl-echo-" : "cmpl-echo-") + UUID.randomUUID().toString().replace("-", "");
    }

    int completionTokens() {
      int t = 0;
      for (String o : outputs) {
        t += EchoText.countTokens(o) + EchoText.countTokens(reasoning);
      }
      return t;
    }

    ObjectNode usage() {
      ObjectNode u = json.createObjectNode();
      int c = completionTokens();
      u.put("prompt_tokens", promptTokens);
      u.put("completion_tokens", c);
      u.put("total_tokens", promptTokens + c);
      u.putObject("prompt_tokens_details").put("cached_tokens", 0);
      return u;
    }

    ObjectNode envelope(String object) {
      ObjectNode o = json.createObjectNode();
      o.put("id", id);
      o.put("object", object);
      o.put("created", created);
      o.put("model", model);
      return o;
    }

    ObjectNode full() {
      ObjectNode o = envelope(chat ? "chat.completion" : "text_completion");
      ArrayNode choices = o.putArray("choices");
      for (int i = 0; i < outputs.size(); i++) {
        ObjectNode c = choices.addObject();
        c.put("index", i);
        if (chat) {
          ObjectNode msg = c.putObject("message");
          msg.put("role", "assistant");
          msg.put("content", outputs.get(i));
          if (!reasoning.isEmpty()) {
            msg.put("reasoning_content", reasoning);
          }
        } else {
          c.put("text", outputs.get(i));
        }
        c.putNull("logprobs");
        c.put("finish_reason", "stop");
      }
      o.set("usage", usage());
      return o;
    }

    List<Step> chunks(boolean includeUsage) {
      List<Step> steps = new ArrayList<>();
      String object = chat ? "chat.completion.chunk" : "text_completion";
      for (int i = 0; i < outputs.size(); i++) {
        if (chat) {
          ObjectNode delta = json.createObjectNode();
          delta.put("role", "assistant");
          delta.put("content", "");
          steps.add(new Step(chunk(object, i, delta, null, includeUsage), false));
          for (String p : EchoText.pieces(reasoning)) {
            ObjectNode d = json.createObjectNode();
            d.put("reasoning_content", p);
            steps.add(new Step(chunk(object, i, d, null, includeUsage), true));
          }
        }
        for (String p : EchoText.pieces(outputs.get(i))) {
          ObjectNode d = json.createObjectNode();
          d.put(chat ? "content" : "text", p);
          steps.add(new Step(chunk(object, i, d, null, includeUsage), true));
        }
        steps.add(new Step(chunk(object, i, json.createObjectNode(), "stop", includeUsage), false));
      }
      if (includeUsage) {
        ObjectNode last = envelope(object);
        last.putArray("choices");
        last.set("usage", usage());
        steps.add(new Step(last, false));
      }
      return steps;
    }

    private ObjectNode chunk(String object, int index, ObjectNode delta, String finish, boolean includeUsage) {
      ObjectNode o = envelope(object);
      ArrayNode choices = o.putArray("choices");
      ObjectNode c = choices.addObject();
      c.put("index", index);
      if (chat) {
        c.set("delta", delta);
      } else {
        c.put("text", delta.path("text").asText(""));
      }
      c.putNull("logprobs");
      if (finish == null) {
        c.putNull("finish_reason");
      } else {
        c.put("finish_reason", finish);
      }
      if (includeUsage) {
        o.putNull("usage");
      }
      return o;
    }
  }

  /** One SSE event: {@code data: <compact JSON>\n\n}. */
  private HttpData sse(ObjectNode chunk) {
    byte[] j = toBytes(chunk);
    byte[] out = new byte[6 + j.length + 2];
    System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, 0, 6);
    System.arraycopy(j, 0, out, 6, j.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return HttpData.wrap(out);
  }

  private HttpResponse jsonResponse(ObjectNode node) {
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, toBytes(node));
  }

  private byte[] toBytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A knob from its header, else from the body's {@code x_echo} object, else the default. */
  private static int knob(RequestHeaders headers, String header, JsonNode knobs, String member, int dflt) {
    if (headers.get(header) != null) {
      return intHeader(headers, header, dflt);
    }
    JsonNode v = knobs.path(member);
    return v.canConvertToInt() && v.isIntegralNumber() ? v.intValue() : dflt;
  }

  private static int intHeader(RequestHeaders headers, String name, int dflt) {
    String v = headers.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String sha256Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
