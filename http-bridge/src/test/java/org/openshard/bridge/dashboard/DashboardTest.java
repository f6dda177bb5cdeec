package org.openshard.bridge.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openshard.bridge.BridgeServer;
import org.openshard.bridge.auth.ApiKeys;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.echo.EchoServer;

/** GET /dashboard and /dashboard/api/state over real HTTP, with a real registry and seller behind the page. */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static DashboardCluster c;

  @BeforeAll
  static void start() throws Exception {
    c = DashboardCluster.start(null);
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
  }

  static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String stateUrl(BridgeServer b) {
    return b.dashboardUrl() + "/api/state";
  }

  private static JsonNode state() throws Exception {
    HttpResponse<String> r = get(stateUrl(c.bridge), Map.of());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  private static JsonNode awaitState(java.util.function.Predicate<JsonNode> ok, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonNode s = state();
    while (!ok.test(s)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; last state: " + s);
      }
      Thread.sleep(50);
      s = state();
    }
    return s;
  }

  @Test
  void pageIsSelfContainedHtml() throws Exception {
    HttpResponse<String> r = get(c.bridge.dashboardUrl(), Map.of());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    String html = r.body();
    assertTrue(html.contains("<style>") && html.contains("<script>"), "inline CSS and JS");
    assertTrue(html.contains("/dashboard/api/state"), "the page polls the state endpoint");
    // Nothing is loaded from elsewhere: no src/href attributes, no absolute URLs, no imports.
    assertFalse(Pattern.compile("\\b(src|href)\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "external resource");
    assertFalse(Pattern.compile("https?://", Pattern.CASE_INSENSITIVE).matcher(html).find(), "absolute URL");
    assertFalse(html.contains("@import"));
    String csp = r.headers().firstValue("content-security-policy").orElse("");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"), csp);
  }

  @Test
  void stateListsTheRegisteredSeller() throws Exception {
    String peer = c.seller.peerId();
    JsonNode s = awaitState(j -> findSeller(j, peer) != null && findSeller(j, peer).path("last_heartbeat_ms").asLong() > 0,
        "the seller with a heartbeat");
    JsonNode seller = findSeller(s, peer);
    assertEquals(c.seller.target(), seller.get("endpoint").asText());
    assertTrue(seller.get("capacity").asInt() > 0, seller.toString());
    assertTrue(seller.get("in_flight").asInt() >= 0);
    double health = seller.get("health").asDouble();
    assertTrue(health >= 0 && health <= 1, seller.toString());
    JsonNode off = seller.get("offerings").get(0);
    assertEquals("o1", off.get("offering_id").asText());
    assertEquals("echo-1", off.get("service_ids").get(0).asText());
    assertTrue(off.get("input_usdc_per_million").isTextual());
    assertEquals(c.bridge.peerId(), s.at("/bridge/peer_id").asText());
    assertTrue(s.get("channels").isArray());
  }

  private static JsonNode findSeller(JsonNode state, String peer) {
    for (JsonNode n : state.get("sellers")) {
      if (n.get("peer_id").asText().equals(peer)) {
        return n;
      }
    }
    return null;
  }

  private static JsonNode findRequest(JsonNode state, String receiptId) {
    for (JsonNode n : state.get("requests")) {
      if (n.get("receipt_id").asText().equals(receiptId)) {
        return n;
      }
    }
    return null;
  }

  @Test
  void requestsAreLoggedAsMetadataOnlyNeverPromptText() throws Exception {
    String secret = "zebra-quokka-" + System.nanoTime() + "-marmalade";
    String plain = "{\"model\":\"dash-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + " one\"}]}";
    HttpResponse<String> r1 = post(c.bridge.baseUrl() + "/chat/completions", plain, Map.of());
    assertEquals(200, r1.statusCode(), r1.body());
    assertTrue(r1.body().contains(secret), "the echo upstream answers with the prompt, so the completion contains it too");
    String streamed =
        "{\"model\":\"dash-model\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + " two\"}]}";
    HttpResponse<String> r2 = post(c.bridge.baseUrl() + "/chat/completions", streamed, Map.of());
    assertEquals(200, r2.statusCode());
    String id1 = r1.headers().firstValue("x-receipt-id").orElseThrow();
    String id2 = r2.headers().firstValue("x-receipt-id").orElseThrow();

    JsonNode s = awaitState(j -> findRequest(j, id1) != null && findRequest(j, id2) != null, "both requests logged");
    JsonNode a = findRequest(s, id1);
    assertEquals("dash-model", a.get("model").asText());
    assertEquals(200, a.get("status").asInt());
    assertEquals("/v1/chat/completions", a.get("endpoint").asText());
    assertTrue(a.get("prompt_tokens").asLong() > 0, a.toString());
    assertTrue(a.get("completion_tokens").asLong() > 0, a.toString());
    assertEquals("0.00", a.get("amount_usdc").asText());
    assertTrue(a.get("time_ms").asLong() > 0);
    JsonNode b = findRequest(s, id2);
    assertEquals(200, b.get("status").asInt());
    // Newest first.
    List<String> order = new java.util.ArrayList<>();
    s.get("requests").forEach(n -> order.add(n.get("receipt_id").asText()));
    assertTrue(order.indexOf(id2) < order.indexOf(id1), order.toString());

    String raw = get(stateUrl(c.bridge), Map.of()).body();
    assertFalse(raw.contains(secret), "prompt/completion text leaked into the dashboard API");
    assertFalse(raw.contains("zebra"), "part of the prompt leaked into the dashboard API");
  }

  @Test
  void dashboardPollsAreNotLoggedAsRequests() throws Exception {
    for (int i = 0; i < 3; i++) {
      get(c.bridge.dashboardUrl(), Map.of());
    }
    for (JsonNode n : state().get("requests")) {
      assertFalse(n.get("endpoint").asText().startsWith("/dashboard"), n.toString());
    }
  }

  @Test
  void apiKeysProtectTheDashboard() throws Exception {
    try (EchoServer echo = EchoServer.builder().start();
        OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build()) {
      BridgeServer b = BridgeServer.builder().backend(backend).apiKeys(ApiKeys.of(List.of("sk-dash-test-key"))).start();
      try {
        assertEquals(401, get(b.dashboardUrl(), Map.of()).statusCode());
        assertEquals(401, get(stateUrl(b), Map.of()).statusCode());
        assertEquals(401, get(stateUrl(b), Map.of("Authorization", "Bearer wrong")).statusCode());
        Map<String, String> auth = Map.of("Authorization", "Bearer sk-dash-test-key");
        assertEquals(200, get(b.dashboardUrl(), auth).statusCode());
        HttpResponse<String> s = get(stateUrl(b), auth);
        assertEquals(200, s.statusCode());
        assertNotNull(JSON.readTree(s.body()).get("sellers"));
      } finally {
        b.close();
      }
    }
  }

  @Test
  void customSourceChannelsAndPricesAreShownInUsdc() throws Exception {
    DashboardSource src =
        new DashboardSource() {
          @Override
          public List<SellerView> sellers() {
            return List.of(
                new SellerView(
                    "0xabc", "10.0.0.1:7000",
                    List.of(new SellerView.OfferingView("o", List.of("m"), 1_500_000, 250_000, 0)), 0.9, 1, 4, 123));
          }

          @Override
          public List<ChannelView> channels() {
            return List.of(new ChannelView("0xchan", "0xseller", 10_000_000, 2_345_678, "open"));
          }
        };
    try (EchoServer echo = EchoServer.builder().start();
        OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build()) {
      BridgeServer b = BridgeServer.builder().backend(backend).dashboardSource(src).start();
      try {
        JsonNode s = JSON.readTree(get(stateUrl(b), Map.of()).body());
        JsonNode off = s.at("/sellers/0/offerings/0");
        assertEquals("1.50", off.get("input_usdc_per_million").asText());
        assertEquals("0.25", off.get("output_usdc_per_million").asText());
        assertEquals("0.00", off.get("cached_input_usdc_per_million").asText());
        assertEquals(4, s.at("/sellers/0/capacity").asInt());
        JsonNode ch = s.at("/channels/0");
        assertEquals("10.00", ch.get("deposit_usdc").asText());
        assertEquals("2.345678", ch.get("spent_usdc").asText());
        assertEquals("7.654322", ch.get("remaining_usdc").asText());
        assertEquals("open", ch.get("state").asText());
      } finally {
        b.close();
      }
    }
  }

  /** A backend that routes "to a seller": it reports who served and what it cost, as GatewayBackend does. */
  private static final class SellerRoutingBackend implements org.openshard.bridge.backend.ChatBackend {
    @Override
    public java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.node.ObjectNode> chatCompletion(
        com.fasterxml.jackson.databind.node.ObjectNode request, org.openshard.bridge.backend.RequestContext ctx) {
      ctx.served(new org.openshard.bridge.backend.ServingSummary("0xseller000000000000000000000000000000beef", "o7", 1_234_567, "ab12", "", 1));
      com.fasterxml.jackson.databind.node.ObjectNode r = JSON.createObjectNode();
      r.put("id", "chatcmpl-x").put("object", "chat.completion").put("model", request.get("model").asText());
      r.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant").put("content", "fine");
      r.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", 3).put("total_tokens", 14);
      return java.util.concurrent.CompletableFuture.completedFuture(r);
    }

    @Override
    public java.util.concurrent.CompletableFuture<org.reactivestreams.Publisher<com.fasterxml.jackson.databind.node.ObjectNode>>
        streamChatCompletion(com.fasterxml.jackson.databind.node.ObjectNode request, org.openshard.bridge.backend.RequestContext ctx) {
      return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.node.ObjectNode> models(
        org.openshard.bridge.backend.RequestContext ctx) {
      return java.util.concurrent.CompletableFuture.completedFuture(JSON.createObjectNode().put("object", "list"));
    }
  }

  @Test
  void sellerAmountAndSellerReceiptComeFromTheServingSummary() throws Exception {
    BridgeServer b = BridgeServer.builder().backend(new SellerRoutingBackend()).start();
    try {
      HttpResponse<String> r =
          post(b.baseUrl() + "/chat/completions", "{\"model\":\"m-7\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Map.of());
      assertEquals(200, r.statusCode(), r.body());
      String id = r.headers().firstValue("x-receipt-id").orElseThrow();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      JsonNode rec = null;
      while (rec == null && System.nanoTime() < deadline) {
        rec = findRequest(JSON.readTree(get(stateUrl(b), Map.of()).body()), id);
        if (rec == null) {
          Thread.sleep(20);
        }
      }
      assertNotNull(rec, "request " + id + " not logged");
      assertEquals("0xseller000000000000000000000000000000beef", rec.get("seller").asText());
      assertEquals("1.234567", rec.get("amount_usdc").asText());
      assertEquals("ab12", rec.get("seller_receipt_id").asText());
      assertEquals(11, rec.get("prompt_tokens").asInt());
      assertEquals(3, rec.get("completion_tokens").asInt());
      assertEquals("m-7", rec.get("model").asText());
    } finally {
      b.close();
    }
  }

  @Test
  void requestLogIsBounded() {
    RequestLog log = new RequestLog(3);
    for (int i = 0; i < 5; i++) {
      log.add(new RequestRecord(i, "/v1/chat/completions", "m", "", 200, 1, 1, 0, "r" + i, "", 1));
    }
    List<RequestRecord> recent = log.recent();
    assertEquals(3, recent.size());
    assertEquals("r4", recent.get(0).receiptId());
    assertEquals("r2", recent.get(2).receiptId());
  }
}
