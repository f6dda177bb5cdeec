package org.openshard.seller.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.StageException;
import org.openshard.seller.testkit.FakeOpenAiServer;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiUpstreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FakeOpenAiServer server = new FakeOpenAiServer();
  private final OpenAiUpstream upstream = OpenAiUpstream.builder(server.baseUrl()).apiKey("sk-test-123").build();

  @BeforeEach
  void reset() {
    server.reset();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Collects a call's callbacks. */
  static final class Collector implements UpstreamListener {
    final List<String> chunks = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> response = new CompletableFuture<>();
    final CompletableFuture<Usage> usage = new CompletableFuture<>();
    final CompletableFuture<StageException> error = new CompletableFuture<>();

    @Override
    public void onChunk(String chunkJson) {
      chunks.add(chunkJson);
    }

    @Override
    public void onResponse(String responseJson) {
      response.complete(responseJson);
    }

    @Override
    public void onComplete(Usage u) {
      usage.complete(u);
    }

    @Override
    public void onError(StageException e) {
      error.complete(e);
    }
  }

  private Collector call(String json, Duration timeout) throws Exception {
    Collector c = new Collector();
    upstream.start(new UpstreamRequest(OpenAiRequest.parse(json), "upstream-model", timeout), c, FlowControl.UNBOUNDED);
    return c;
  }

  @Test
  void streamsChunksSplitAcrossFramesAndCapturesUsage() throws Exception {
    for (int piece : new int[] {1, 3, 7, 64, 4096}) {
      server.pieceSize = piece;
      Collector c = call("{\"model\":\"svc\",\"stream\":true,\"messages\":[]}", Duration.ofSeconds(10));
      Usage u = c.usage.get(10, TimeUnit.SECONDS);
      assertEquals(9, u.getPromptTokens());
      assertEquals(3, u.getCompletionTokens());
      assertEquals(2, u.getCachedPromptTokens());
      // 3 deltas + the finish chunk; the usage-only chunk is not relayed (the app did not ask).
      assertEquals(4, c.chunks.size(), "piece " + piece);
      StringBuilder text = new StringBuilder();
      for (String ch : c.chunks) {
        JsonNode n = JSON.readTree(ch);
        assertFalse(n.has("usage"), ch);
        JsonNode content = n.get("choices").get(0).get("delta").get("content");
        if (content != null) {
          text.append(content.asText());
        }
      }
      assertEquals("Hello wörld", text.toString());
      assertFalse(c.error.isDone());
    }
    JsonNode sent = JSON.readTree(server.bodies.get(0));
    assertEquals("upstream-model", sent.get("model").asText());
    assertTrue(sent.get("stream_options").get("include_usage").asBoolean());
    assertEquals("Bearer sk-test-123", server.authorizations.get(0));
  }

  @Test
  void usageChunkIsRelayedWhenTheApplicationAskedForIt() throws Exception {
    Collector c = call("{\"model\":\"svc\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}", Duration.ofSeconds(10));
    c.usage.get(10, TimeUnit.SECONDS);
    assertEquals(5, c.chunks.size());
    JsonNode last = JSON.readTree(c.chunks.get(4));
    assertEquals(9, last.get("usage").get("prompt_tokens").asInt());
    assertTrue(JSON.readTree(c.chunks.get(0)).has("usage"));
  }

  @Test
  void everyRequestFieldReachesTheUpstreamUnchangedExceptModel() throws Exception {
    server.mode = FakeOpenAiServer.Mode.JSON;
    Collector c = call(OpenAiRequestTest.RICH, Duration.ofSeconds(10));
    assertEquals(server.jsonBody, c.response.get(10, TimeUnit.SECONDS));
    Usage u = c.usage.get(10, TimeUnit.SECONDS);
    assertEquals(11, u.getPromptTokens());
    assertEquals(4, u.getCachedPromptTokens());
    ObjectNode expected = (ObjectNode) JSON.readTree(OpenAiRequestTest.RICH);
    expected.put("model", "upstream-model");
    JsonNode received = JSON.readTree(server.bodies.get(0));
    assertEquals(expected, received);
    for (String f : new String[] {"tools", "response_format", "temperature", "top_p", "seed", "logit_bias", "x_vendor_extension"}) {
      assertTrue(received.has(f), f);
    }
  }

  @Test
  void httpErrorsAreUpstreamErrorsWithoutTheirText() throws Exception {
    server.mode = FakeOpenAiServer.Mode.ERROR;
    Collector c = call("{\"model\":\"svc\",\"messages\":[{\"role\":\"user\",\"content\":\"TOP-SECRET-PROMPT\"}]}", Duration.ofSeconds(10));
    StageException e = c.error.get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
    assertTrue(e.getMessage().contains("400"), e.getMessage());
    assertTrue(e.getMessage().contains("invalid_request_error"), e.getMessage());
    assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
    assertFalse(e.retryable());
    server.errorStatus = 503;
    assertTrue(call("{\"model\":\"svc\"}", Duration.ofSeconds(10)).error.get(10, TimeUnit.SECONDS).retryable());
  }

  @Test
  void inStreamErrorsAndTruncatedStreamsAreUpstreamErrors() throws Exception {
    server.mode = FakeOpenAiServer.Mode.STREAM_ERROR;
    StageException e = call("{\"stream\":true}", Duration.ofSeconds(10)).error.get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
    assertFalse(e.getMessage().contains("secret"));
    server.mode = FakeOpenAiServer.Mode.TRUNCATED;
    Collector t = call("{\"stream\":true}", Duration.ofSeconds(10));
    assertEquals(ErrorCode.UPSTREAM_ERROR, t.error.get(10, TimeUnit.SECONDS).code());
    assertEquals(1, t.chunks.size());
    assertFalse(t.usage.isDone());
  }

  @Test
  void malformedEventStreamIsAnUpstreamError() throws Exception {
    server.streamBody = "data: {\"choices\":[]}\n\ndata: not json\n\n";
    StageException e = call("{\"stream\":true}", Duration.ofSeconds(10)).error.get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
  }

  @Test
  void silenceIsAnUpstreamTimeout() throws Exception {
    server.mode = FakeOpenAiServer.Mode.HANG;
    StageException e = call("{\"stream\":true}", Duration.ofMillis(300)).error.get(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.UPSTREAM_TIMEOUT, e.code());
    assertTrue(e.retryable());
  }

  @Test
  void unreachableUpstreamIsAnUpstreamError() throws Exception {
    int port = org.openshard.testing.Ports.free();
    OpenAiUpstream dead = OpenAiUpstream.builder("http://127.0.0.1:" + port + "/v1").build();
    Collector c = new Collector();
    dead.start(new UpstreamRequest(OpenAiRequest.parse("{}"), "m", Duration.ofSeconds(5)), c, FlowControl.UNBOUNDED);
    assertEquals(ErrorCode.UPSTREAM_ERROR, c.error.get(10, TimeUnit.SECONDS).code());
  }

  @Test
  void cancellingTheCallCancelsTheUpstreamRequest() throws Exception {
    server.mode = FakeOpenAiServer.Mode.ENDLESS;
    Collector c = new Collector();
    UpstreamCall call =
        upstream.start(new UpstreamRequest(OpenAiRequest.parse("{\"stream\":true}"), "m", Duration.ofSeconds(30)), c, FlowControl.UNBOUNDED);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (c.chunks.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(c.chunks.size() >= 3);
    call.cancel();
    server.cancelled.get(10, TimeUnit.SECONDS);
    assertEquals(1, server.cancellations.get());
    assertFalse(c.usage.isDone());
    assertFalse(c.error.isDone(), "a cancelled call reports nothing");
  }

  @Test
  void backpressurePausesReadingUntilTheConsumerIsReady() throws Exception {
    server.pieceSize = 40;
    server.streamBody = FakeOpenAiServer.defaultStream(List.of("a", "b", "c", "d", "e"), true);
    List<Runnable> parked = new CopyOnWriteArrayList<>();
    Collector c = new Collector();
    upstream.start(new UpstreamRequest(OpenAiRequest.parse("{\"stream\":true}"), "m", Duration.ofSeconds(10)), c, parked::add);
    // The first piece is read; nothing more until the consumer says it is ready.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (parked.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(1, parked.size());
    int seen = c.chunks.size();
    Thread.sleep(100);
    assertEquals(seen, c.chunks.size());
    assertEquals(1, parked.size());
    while (!c.usage.isDone() && System.nanoTime() < deadline) {
      if (!parked.isEmpty()) {
        parked.remove(0).run();
      }
      Thread.sleep(2);
    }
    assertEquals(6, c.chunks.size());
  }

  @Test
  void rejectsBadBaseUrls() {
    assertThrows(IllegalArgumentException.class, () -> OpenAiUpstream.builder("ftp://x/v1"));
    assertThrows(IllegalArgumentException.class, () -> OpenAiUpstream.builder("http://user:pw@x/v1"));
    assertThrows(IllegalArgumentException.class, () -> OpenAiUpstream.builder("not a url"));
  }
}
