package org.openshard.seller.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.Usage;

/** The upstream client against the project's echo server (the demo upstream). */
class EchoUpstreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void streamsTheEchoAndCapturesUsage() throws Exception {
    try (EchoServer echo = EchoServer.builder().start()) {
      OpenAiUpstream up = OpenAiUpstream.builder(echo.baseUrl()).build();
      OpenAiUpstreamTest.Collector c = new OpenAiUpstreamTest.Collector();
      up.start(
          new UpstreamRequest(
              OpenAiRequest.parse("{\"model\":\"svc\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}"),
              "echo", Duration.ofSeconds(10)),
          c, FlowControl.UNBOUNDED);
      Usage u = c.usage.get(10, TimeUnit.SECONDS);
      assertTrue(u.getPromptTokens() > 0, u.toString());
      assertTrue(u.getCompletionTokens() > 0, u.toString());
      StringBuilder text = new StringBuilder();
      for (String ch : c.chunks) {
        JsonNode n = JSON.readTree(ch);
        assertTrue(n.get("choices").size() > 0, "the usage-only chunk is not relayed: " + ch);
        JsonNode content = n.get("choices").get(0).path("delta").get("content");
        if (content != null) {
          text.append(content.asText());
        }
      }
      assertTrue(text.toString().contains("one two three"), text.toString());
      assertEquals(1, echo.stats().streamsCompleted());
    }
  }

  @Test
  void cancellationReachesTheEchoServer() throws Exception {
    try (EchoServer echo = EchoServer.builder().tokenDelay(Duration.ofMillis(50)).start()) {
      OpenAiUpstream up = OpenAiUpstream.builder(echo.baseUrl()).build();
      OpenAiUpstreamTest.Collector c = new OpenAiUpstreamTest.Collector();
      String words = "w ".repeat(200);
      UpstreamCall call =
          up.start(
              new UpstreamRequest(
                  OpenAiRequest.parse("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + words + "\"}]}"),
                  "echo", Duration.ofSeconds(30)),
              c, FlowControl.UNBOUNDED);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (c.chunks.size() < 3 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      call.cancel();
      while (echo.stats().streamsCancelled() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertEquals(1, echo.stats().streamsCancelled());
      assertEquals(0, echo.stats().streamsCompleted());
    }
  }
}
