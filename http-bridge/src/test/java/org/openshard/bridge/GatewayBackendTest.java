package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.testing.Ports;

/**
 * The bridge in front of a buyer Gateway: a real BridgeServer with {@link GatewayBackend} connected
 * over a loopback port to a {@link FakeGateway} on a real gRPC server.
 */
class GatewayBackendTest {
  private static FakeGateway gw;
  private static BridgeFixture f;

  @BeforeAll
  static void start() throws Exception {
    gw = new FakeGateway();
    f = BridgeFixture.on(GatewayBackend.connect(gw.target()).build());
  }

  @AfterAll
  static void stop() {
    f.close();
    gw.close();
  }

  @BeforeEach
  void reset() {
    gw.reset();
  }

  static String chat(String prompt, String... extra) {
    return "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]" + String.join("", extra) + "}";
  }

  @Test
  void nonStreamingPassesTheRequestThroughAndExposesTheSummary() throws Exception {
    String body =
        "{\"model\":\"echo\",\"temperature\":0.70,\"x_unknown\":{\"big\":123456789012345678901234567890,\"s\":\"é ✓\"},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hello gateway\"}]}";
    BridgeFixture.Resp r = f.post("/chat/completions", body, Map.of());
    assertEquals(200, r.status(), r.text());
    assertEquals("hello gateway", r.json().at("/choices/0/message/content").asText());
    assertEquals(4, r.json().at("/usage/total_tokens").asInt());

    FakeGateway.Seen seen = gw.last();
    assertEquals(body, seen.request().getOpenaiRequestJson(), "the gateway gets the request byte for byte");
    assertEquals("", seen.request().getRouting().getPeerId());
    assertNull(seen.metadataPeer());

    assertEquals(FakeGateway.SELLER, r.header("x-openshard-seller"));
    assertEquals("1002", r.header("x-openshard-amount-charged"));
    assertEquals(FakeGateway.RECEIPT, r.header("x-openshard-seller-receipt"));
    assertEquals(FakeGateway.NULLIFIER, r.header("x-openshard-nullifier"));
    assertEquals("1", r.header("x-openshard-attempts"));

    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    assertEquals("request.forwarded", receipt.at("/event_log/1/type").asText());
    assertEquals(sha(body.getBytes(StandardCharsets.UTF_8)), receipt.at("/event_log/1/body_hash").asText());
    assertEquals(FakeGateway.SELLER, receipt.at("/event_log/1/target").asText(), "target = the seller that served");
    assertEquals(sha(r.body()), receipt.at("/event_log/2/body_hash").asText());
    assertEquals("chatcmpl-fake", receipt.get("chat_id").asText());
  }

  /** Streams through HTTP/1.1 (chunked) and HTTP/2; the summary comes as trailers. */
  @ParameterizedTest
  @ValueSource(strings = {"h1c", "h2c"})
  void streamingChunksThenSummaryTrailers(String scheme) throws Exception {
    String body = chat("one two three four", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    WebClient client = WebClient.of(scheme + "://" + f.bridge.host() + ":" + f.bridge.port());
    AggregatedHttpResponse r =
        client
            .execute(
                RequestHeaders.builder(HttpMethod.POST, "/v1/chat/completions").contentType(MediaType.JSON).build(),
                body)
            .aggregate()
            .get(30, TimeUnit.SECONDS);
    assertEquals(200, r.status().code(), r.contentUtf8());
    assertEquals("text/event-stream", r.headers().contentType().nameWithoutParameters());
    assertNull(r.headers().get("x-openshard-seller"), "not known when the headers are sent");
    StringBuilder text = new StringBuilder();
    boolean usage = false;
    List<String> events = List.of(r.contentUtf8().split("\n\n"));
    assertEquals("data: [DONE]", events.get(events.size() - 1));
    for (String ev : events.subList(0, events.size() - 1)) {
      JsonNode c = BridgeFixture.JSON.readTree(ev.substring("data: ".length()));
      assertEquals("chat.completion.chunk", c.get("object").asText());
      text.append(c.at("/choices/0/delta/content").asText(""));
      usage |= c.get("choices").size() == 0 && c.at("/usage/completion_tokens").asInt() == 4;
    }
    assertEquals("one two three four", text.toString());
    assertTrue(usage, "the include_usage chunk passes through");
    assertEquals(FakeGateway.SELLER, r.trailers().get("x-openshard-seller"));
    assertEquals("1004", r.trailers().get("x-openshard-amount-charged"));
    assertEquals(FakeGateway.RECEIPT, r.trailers().get("x-openshard-seller-receipt"));
    assertEquals(FakeGateway.NULLIFIER, r.trailers().get("x-openshard-nullifier"));

    assertEquals(body, gw.last().request().getOpenaiRequestJson());
    JsonNode receipt = f.receipt(r.headers().get("x-receipt-id"), Map.of());
    assertEquals(FakeGateway.SELLER, receipt.at("/event_log/1/target").asText());
    assertEquals(sha(r.content().array()), receipt.at("/event_log/2/body_hash").asText());
  }

  @Test
  void peerPinGoesToMetadataAndRouting() throws Exception {
    String pin = "0xABCDEF0000000000000000000000000000001234";
    BridgeFixture.Resp r = f.post("/chat/completions", chat("pinned"), Map.of("X-OpenShard-Peer", pin));
    assertEquals(200, r.status(), r.text());
    String lower = pin.toLowerCase(Locale.ROOT);
    assertEquals(lower, gw.last().metadataPeer());
    assertEquals(lower, gw.last().request().getRouting().getPeerId());
    assertEquals(lower, r.header("x-openshard-seller"));

    BridgeFixture.Resp s =
        f.post("/chat/completions", chat("pinned", ",\"stream\":true"), Map.of("X-OpenShard-Peer", pin));
    assertEquals(200, s.status());
    assertEquals(lower, gw.last().metadataPeer());
  }

  @Test
  void malformedPeerPinIs400AndNeverReachesTheGateway() throws Exception {
    int before = gw.seen.size();
    for (String stream : new String[] {"", ",\"stream\":true"}) {
      BridgeFixture.Resp r = f.post("/chat/completions", chat("x", stream), Map.of("X-OpenShard-Peer", "seller-7"));
      assertEquals(400, r.status());
      assertEquals("invalid_peer_id", r.json().at("/error/code").asText());
    }
    assertEquals(before, gw.seen.size());
  }

  @ParameterizedTest
  @CsvSource({
    "NO_SELLER_AVAILABLE,503,service_unavailable",
    "ALL_SELLERS_FAILED,503,service_unavailable",
    "PINNED_PEER_UNAVAILABLE,503,service_unavailable",
    "OVERLOADED,429,rate_limit_error",
    "INVALID_ARGUMENT,400,invalid_request_error",
    "INVALID_QUERY,400,invalid_request_error",
    "UNKNOWN_SERVICE,404,not_found_error",
    "PAYMENT_REQUIRED,402,payment_required",
    "CHANNEL_EXHAUSTED,402,payment_required",
    "UPSTREAM_ERROR,502,upstream_error",
    "UPSTREAM_TIMEOUT,504,timeout_error",
    "DEADLINE_EXCEEDED,504,timeout_error",
    "INTERNAL,502,upstream_error",
  })
  void errorDetailsBecomeOpenAiErrors(String code, int status, String type) throws Exception {
    for (String stream : new String[] {"", ",\"stream\":true"}) {
      BridgeFixture.Resp r =
          f.post("/chat/completions", chat("x", stream, FakeGateway.knobs(Map.of("error_code", code, "field", "messages.0"))), Map.of());
      assertEquals(status, r.status(), r.text());
      JsonNode e = r.json().get("error");
      assertEquals(type, e.get("type").asText());
      assertEquals(code.toLowerCase(Locale.ROOT), e.get("code").asText());
      assertEquals("fake failure " + code, e.get("message").asText(), "plain requests get the detail's message");
      if (status == 400) {
        assertEquals("messages.0", e.get("param").asText());
      } else {
        assertTrue(e.get("param").isNull());
      }
      assertNull(r.header("x-openshard-seller"));
    }
  }

  @ParameterizedTest
  @CsvSource({"UNAVAILABLE,503,gateway_unavailable", "INTERNAL,502,gateway_error", "RESOURCE_EXHAUSTED,429,resource_exhausted"})
  void statusesWithoutDetail(String grpc, int status, String code) throws Exception {
    BridgeFixture.Resp r = f.post("/chat/completions", chat("x", FakeGateway.knobs(Map.of("bare_status", grpc))), Map.of());
    assertEquals(status, r.status(), r.text());
    assertEquals(code, r.json().at("/error/code").asText());
    assertFalse(r.json().at("/error/message").asText().contains("bare"), "the gRPC description is not passed on");
  }

  @Test
  void unreachableGatewayIs503() throws Exception {
    try (BridgeFixture dead = BridgeFixture.on(GatewayBackend.connect("127.0.0.1:" + Ports.free()).build())) {
      BridgeFixture.Resp r = dead.post("/chat/completions", chat("x"), Map.of());
      assertEquals(503, r.status(), r.text());
      assertEquals("gateway_unavailable", r.json().at("/error/code").asText());
      JsonNode receipt = dead.receipt(r.header("x-receipt-id"), Map.of());
      assertEquals(GatewayBackend.TARGET, receipt.at("/event_log/1/target").asText(), "forwarded, never served");
      assertEquals(503, dead.get("/models", Map.of()).status());
    }
  }

  @Test
  void midStreamFailureBecomesAnErrorEvent() throws Exception {
    BridgeFixture.Resp r =
        f.post("/chat/completions", chat("a b c d e", ",\"stream\":true", FakeGateway.knobs(Map.of("fail_after_chunks", 3))), Map.of());
    assertEquals(200, r.status());
    List<String> data = r.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    JsonNode err = BridgeFixture.JSON.readTree(data.get(data.size() - 2));
    assertEquals("upstream_error", err.at("/error/code").asText(), data.toString());
    assertEquals("upstream_error", err.at("/error/type").asText());
    assertEquals(3, data.size() - 2, "the three chunks before the failure were delivered");
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    assertEquals(GatewayBackend.TARGET, receipt.at("/event_log/1/target").asText(), "no summary: no seller named");
  }

  @Test
  void clientDisconnectCancelsTheStreamingCall() throws Exception {
    String body = chat("a b c d e f g h i j k l m n o p", ",\"stream\":true", FakeGateway.knobs(Map.of("token_delay_ms", 200)));
    try (Socket s = rawPost(body)) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
        // headers
      }
      assertTrue(line != null && line.startsWith("data: "), "got a first chunk");
    }
    assertTrue(gw.cancelledLatch.await(10, TimeUnit.SECONDS), "the gateway saw the call cancelled");
  }

  @Test
  void clientDisconnectCancelsTheNonStreamingCall() throws Exception {
    String body = chat("never answered", FakeGateway.knobs(Map.of("hang", true)));
    try (Socket s = rawPost(body)) {
      assertTrue(gw.started.await(10, TimeUnit.SECONDS), "the call reached the gateway");
    }
    assertTrue(gw.cancelledLatch.await(10, TimeUnit.SECONDS), "the gateway saw the call cancelled");
  }

  @Test
  void modelsComeFromListModels() throws Exception {
    BridgeFixture.Resp r = f.get("/models", Map.of());
    assertEquals(200, r.status(), r.text());
    JsonNode j = r.json();
    assertEquals("list", j.get("object").asText());
    assertEquals(2, j.get("data").size());
    JsonNode echo = j.at("/data/0");
    assertEquals("echo", echo.get("id").asText());
    assertEquals("model", echo.get("object").asText());
    assertEquals("openshard", echo.get("owned_by").asText());
    assertEquals("inference", echo.get("capability").asText());
    assertEquals(3, echo.get("seller_count").asInt());
    assertEquals(150, echo.at("/lowest_price/input_per_million").asLong());
    assertEquals(600, echo.at("/lowest_price/output_per_million").asLong());
    assertEquals("agent", j.at("/data/1/capability").asText());
    assertTrue(j.at("/data/1/lowest_price").isMissingNode());
  }

  @Test
  void attestationSaysAggregator() throws Exception {
    assertEquals("aggregator", f.get("/aci/attestation", Map.of()).json().at("/service_capabilities/serving").asText());
  }

  private static Socket rawPost(String body) throws Exception {
    Socket s = new Socket(f.bridge.host(), f.bridge.port());
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
    return s;
  }

  static String sha(byte[] b) {
    return "sha256:" + Bytes.hex(Hashes.sha256(b));
  }
}
