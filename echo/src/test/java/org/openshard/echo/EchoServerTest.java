package org.openshard.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EchoServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EchoServer echo;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    echo = EchoServer.builder().models(List.of("echo", "echo-2")).start();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    echo.close();
  }

  private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(echo.baseUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> sseData(String body) {
    List<String> out = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      if (event.startsWith("data: ")) {
        out.add(event.substring(6));
      }
    }
    return out;
  }

  @Test
  void chatEchoesTheLastUserMessageWithUsage() throws Exception {
    String body =
        "{\"model\":\"m-1\",\"messages\":[{\"role\":\"system\",\"content\":\"sys words\"},"
            + "{\"role\":\"user\",\"content\":\"hello there world\"}]}";
    HttpResponse<String> r = post("/chat/completions", body);
    assertEquals(200, r.statusCode());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("chat.completion", j.get("object").asText());
    assertEquals("m-1", j.get("model").asText());
    assertEquals("hello there world", j.at("/choices/0/message/content").asText());
    assertEquals("assistant", j.at("/choices/0/message/role").asText());
    assertEquals(5, j.at("/usage/prompt_tokens").asInt());
    assertEquals(3, j.at("/usage/completion_tokens").asInt());
    assertEquals(8, j.at("/usage/total_tokens").asInt());
    assertEquals(0, j.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
    assertEquals(HexFormat.of().formatHex(digest), echo.stats().lastBodySha256());
  }

  @Test
  void streamSendsWordChunksUsageAndDone() throws Exception {
    String body =
        "{\"model\":\"m-s\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}";
    HttpResponse<String> r = post("/chat/completions", body);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<String> data = sseData(r.body());
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder text = new StringBuilder();
    int contentChunks = 0;
    JsonNode usage = null;
    String finish = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode c = JSON.readTree(d);
      assertEquals("chat.completion.chunk", c.get("object").asText());
      assertEquals("m-s", c.get("model").asText());
      if (c.get("choices").size() == 0) {
        usage = c.get("usage");
        continue;
      }
      assertTrue(c.get("usage").isNull());
      JsonNode delta = c.at("/choices/0/delta");
      if (delta.has("content") && !delta.get("content").asText().isEmpty()) {
        contentChunks++;
        text.append(delta.get("content").asText());
      }
      if (!c.at("/choices/0/finish_reason").isNull()) {
        finish = c.at("/choices/0/finish_reason").asText();
      }
    }
    assertEquals("one two three", text.toString());
    assertEquals(3, contentChunks);
    assertEquals("stop", finish);
    assertEquals(3, usage.get("completion_tokens").asInt());
    assertEquals(3, usage.get("prompt_tokens").asInt());
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsageChunk() throws Exception {
    String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}";
    List<String> data = sseData(post("/chat/completions", body).body());
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode c = JSON.readTree(d);
      assertFalse(c.has("usage"), d);
      assertEquals(1, c.get("choices").size());
    }
  }

  @Test
  void reasoningHeaderAddsReasoningContent() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
    JsonNode j = JSON.readTree(post("/chat/completions", body, "X-Echo-Reasoning", "think hard").body());
    assertEquals("think hard", j.at("/choices/0/message/reasoning_content").asText());
    assertEquals(3, j.at("/usage/completion_tokens").asInt());
  }

  @Test
  void completionsEchoThePrompt() throws Exception {
    JsonNode j = JSON.readTree(post("/completions", "{\"model\":\"c\",\"prompt\":\"say this\"}").body());
    assertEquals("text_completion", j.get("object").asText());
    assertEquals("say this", j.at("/choices/0/text").asText());
    assertEquals(2, j.at("/usage/prompt_tokens").asInt());
    JsonNode many = JSON.readTree(post("/completions", "{\"model\":\"c\",\"prompt\":[\"a\",\"b c\"]}").body());
    assertEquals("b c", many.at("/choices/1/text").asText());
    assertEquals(1, many.at("/choices/1/index").asInt());
    List<String> data = sseData(post("/completions", "{\"model\":\"c\",\"prompt\":\"x y\",\"stream\":true}").body());
    StringBuilder sb = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      sb.append(JSON.readTree(d).at("/choices/0/text").asText());
    }
    assertEquals("x y", sb.toString());
  }

  @Test
  void modelsListed() throws Exception {
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(URI.create(echo.baseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("list", j.get("object").asText());
    assertEquals("echo-2", j.at("/data/1/id").asText());
  }

  @Test
  void errorsAreOpenAiShaped() throws Exception {
    HttpResponse<String> bad = post("/chat/completions", "{not json");
    assertEquals(400, bad.statusCode());
    JsonNode e = JSON.readTree(bad.body()).get("error");
    assertEquals("invalid_request_error", e.get("type").asText());
    assertTrue(e.has("param") && e.has("code") && e.has("message"));

    HttpResponse<String> noModel = post("/chat/completions", "{\"messages\":[]}");
    assertEquals(400, noModel.statusCode());
    assertEquals("model", JSON.readTree(noModel.body()).at("/error/param").asText());

    HttpResponse<String> missing = post("/nowhere", "{}");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found_error", JSON.readTree(missing.body()).at("/error/type").asText());

    HttpResponse<String> failing =
        post("/chat/completions", "{\"model\":\"m\",\"messages\":[]}", "X-Echo-Fail-Status", "429");
    assertEquals(429, failing.statusCode());
    assertEquals("rate_limit_error", JSON.readTree(failing.body()).at("/error/type").asText());
  }

  @Test
  void h2cIsServedOnTheSamePort() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r =
        h2.send(HttpRequest.newBuilder(URI.create(echo.baseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, r.version());
  }

  @Test
  void clientCancellationIsCounted() throws Exception {
    long before = echo.stats().streamsCancelled();
    String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f g h i j\"}]}";
    try (Socket s = new Socket(echo.host(), echo.port())) {
      OutputStream out = s.getOutputStream();
      String req =
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "X-Echo-Token-Delay-Ms: 200\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
              + "\r\n\r\n" + body;
      out.write(req.getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("data: ")) {
          break; // first event arrived; now hang up
        }
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (echo.stats().streamsCancelled() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(before + 1, echo.stats().streamsCancelled());
  }

  @Test
  void failAfterTokensAbortsTheStream() throws Exception {
    long before = echo.stats().streamsFailed();
    String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c d\"}]}";
    try {
      HttpResponse<String> r = post("/chat/completions", body, "X-Echo-Fail-After-Tokens", "2");
      // If the client did not notice the abort, the stream must at least lack [DONE].
      assertFalse(r.body().contains("[DONE]"));
    } catch (java.io.IOException expected) {
      // the connection was cut mid-stream
    }
    assertEquals(before + 1, echo.stats().streamsFailed());
  }
}
