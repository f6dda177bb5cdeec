package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Hashes;

/** Plain (non-E2EE) OpenAI traffic through a real bridge in front of a real echo upstream. */
class BridgePlainTest {
  private static BridgeFixture f;

  @BeforeAll
  static void start() {
    f = BridgeFixture.start(b -> b.maxRequestBytes(64 * 1024));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  void chatJsonRoundTripWithUnknownFieldsPassedThrough() throws Exception {
    String body =
        "{\"model\":\"echo-m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}],"
            + "\"temperature\":0.70,\"x_custom\":{\"deep\":[1,2.50,\"s\"]},\"seed\":12345678901234567890}";
    BridgeFixture.Resp r = f.post("/chat/completions", body, Map.of());
    assertEquals(200, r.status(), r.text());
    JsonNode j = r.json();
    assertEquals("hi there", j.at("/choices/0/message/content").asText());
    assertEquals("echo-m", j.get("model").asText());
    assertEquals(2, j.at("/usage/completion_tokens").asInt());
    assertNull(r.header("x-e2ee-applied"));
    assertNotNull(r.header("x-receipt-id"));
    // The upstream received the request byte for byte (compact, unknown fields and number spellings kept).
    assertEquals(Bytes.hex(Hashes.sha256(body.getBytes(StandardCharsets.UTF_8))), f.echo.stats().lastBodySha256());
  }

  @Test
  void streamEndsWithDoneAndHonoursIncludeUsage() throws Exception {
    String withUsage =
        "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}";
    BridgeFixture.Resp r = f.post("/chat/completions", withUsage, Map.of());
    assertEquals(200, r.status());
    assertTrue(r.header("content-type").startsWith("text/event-stream"));
    List<String> data = r.sseData();
    assertEquals("[DONE]", data.get(data.size() - 1));
    StringBuilder text = new StringBuilder();
    JsonNode usage = null;
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode c = BridgeFixture.JSON.readTree(d);
      if (c.get("choices").size() == 0) {
        usage = c.get("usage");
      } else {
        text.append(c.at("/choices/0/delta/content").asText(""));
      }
    }
    assertEquals("a b c", text.toString());
    assertNotNull(usage);
    assertEquals(3, usage.get("completion_tokens").asInt());

    String noUsage = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}";
    for (String d : f.post("/chat/completions", noUsage, Map.of()).sseData()) {
      if (!d.equals("[DONE]")) {
        assertTrue(BridgeFixture.JSON.readTree(d).get("choices").size() > 0, "no usage chunk without include_usage");
      }
    }
  }

  @Test
  void completionsAndModels() throws Exception {
    BridgeFixture.Resp c = f.post("/completions", "{\"model\":\"m\",\"prompt\":\"echo me\"}", Map.of());
    assertEquals(200, c.status());
    assertEquals("echo me", c.json().at("/choices/0/text").asText());
    BridgeFixture.Resp s = f.post("/completions", "{\"model\":\"m\",\"prompt\":\"x y\",\"stream\":true}", Map.of());
    assertEquals("[DONE]", s.sseData().get(s.sseData().size() - 1));
    BridgeFixture.Resp m = f.get("/models", Map.of());
    assertEquals(200, m.status());
    assertEquals("echo", m.json().at("/data/0/id").asText());
  }

  @Test
  void badInputGetsTypedOpenAiErrors() throws Exception {
    BridgeFixture.Resp invalid = f.post("/chat/completions", "{\"model\":", Map.of());
    assertEquals(400, invalid.status());
    assertEquals("invalid_request_error", invalid.errorType());
    JsonNode e = invalid.json().get("error");
    assertTrue(e.has("message") && e.has("param") && e.has("code"));

    assertEquals(400, f.post("/chat/completions", "", Map.of()).status());
    assertEquals(400, f.post("/chat/completions", "[1,2]", Map.of()).status());
    assertEquals(400, f.post("/chat/completions", "{\"a\":1,\"a\":2}", Map.of()).status(), "duplicate keys");

    BridgeFixture.Resp noModel = f.post("/chat/completions", "{\"messages\":[]}", Map.of());
    assertEquals(400, noModel.status());
    assertEquals("model", noModel.json().at("/error/param").asText());

    BridgeFixture.Resp form =
        f.post("/chat/completions", "a=b".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", Map.of());
    assertEquals(415, form.status());
    assertEquals("invalid_request_error", form.errorType());
    assertEquals(415, f.post("/chat/completions", "{}".getBytes(StandardCharsets.UTF_8), null, Map.of()).status());

    BridgeFixture.Resp missing = f.post("/embeddings", "{}", Map.of());
    assertEquals(404, missing.status());
    assertEquals("not_found_error", missing.errorType());
    assertNotNull(missing.header("x-receipt-id"));

    byte[] big = new byte[70 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    big[0] = '{';
    big[big.length - 1] = '}';
    BridgeFixture.Resp tooBig = f.post("/chat/completions", big, "application/json", Map.of());
    assertEquals(413, tooBig.status(), tooBig.text());
    assertEquals("invalid_request_error", tooBig.errorType());
  }

  @Test
  void upstreamErrorsMapToOpenAiStatuses() throws Exception {
    String limitedBody = "{\"model\":\"m\",\"x_echo\":{\"fail_status\":429},\"messages\":[]}";
    BridgeFixture.Resp limited = f.post("/chat/completions", limitedBody, Map.of());
    assertEquals(429, limited.status());
    assertEquals("rate_limit_error", limited.errorType());
    String brokenBody = "{\"model\":\"m\",\"x_echo\":{\"fail_status\":500},\"messages\":[]}";
    BridgeFixture.Resp broken = f.post("/chat/completions", brokenBody, Map.of());
    assertEquals(502, broken.status());
    assertEquals("upstream_error", broken.errorType());
  }

  @Test
  void upstreamUnreachableIs502() throws Exception {
    int dead = org.openshard.testing.Ports.free();
    try (var backend = org.openshard.bridge.backend.OpenAiUpstreamBackend.builder("http://127.0.0.1:" + dead + "/v1").build();
        BridgeServer b = BridgeServer.builder().backend(backend).start()) {
      HttpResponse<String> r =
          f.http.send(
              HttpRequest.newBuilder(URI.create(b.baseUrl() + "/chat/completions"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(502, r.statusCode());
      assertTrue(r.body().contains("upstream_error"));
    }
  }

  @Test
  void midStreamUpstreamFailureBecomesAnErrorEvent() throws Exception {
    String body =
        "{\"model\":\"m\",\"stream\":true,\"x_echo\":{\"fail_after_tokens\":2},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e\"}]}";
    BridgeFixture.Resp r = f.post("/chat/completions", body, Map.of());
    assertEquals(200, r.status());
    List<String> data = r.sseData();
    JsonNode last = BridgeFixture.JSON.readTree(data.get(data.size() - 2));
    assertTrue(last.has("error"), "error event before [DONE]: " + data);
    assertEquals("upstream_error", last.at("/error/type").asText());
  }

  @Test
  void clientDisconnectCancelsTheUpstreamStream() throws Exception {
    long before = f.echo.stats().streamsCancelled();
    String body =
        "{\"model\":\"m\",\"stream\":true,\"x_echo\":{\"token_delay_ms\":200},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f g h i j k l\"}]}";
    try (Socket s = new Socket(f.bridge.host(), f.bridge.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: " + body.length() + "\r\n\r\n" + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
        // headers
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (f.echo.stats().streamsCancelled() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(before + 1, f.echo.stats().streamsCancelled(), "the bridge cancelled its upstream request");
  }

  @Test
  void h2cOnTheSamePort() throws Exception {
    HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r =
        h2.send(
            HttpRequest.newBuilder(URI.create(f.bridge.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"h2 ok\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, r.version());
    assertTrue(r.body().endsWith("data: [DONE]\n\n"));
  }

  @Test
  void receiptsAreSignedAndHashTheExactBytes() throws Exception {
    String body = "{\"model\":\"rm\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"receipt me\"}]}";
    BridgeFixture.Resp r = f.post("/chat/completions", body, Map.of());
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    JsonNode att = f.get("/aci/attestation", Map.of()).json();
    verifyReceipt(receipt, att);
    assertEquals(r.header("x-receipt-id"), receipt.get("receipt_id").asText());
    assertEquals("rm", receipt.get("model").asText());
    assertEquals("/v1/chat/completions", receipt.get("endpoint").asText());
    assertEquals(att.get("workload_keyset_digest").asText(), receipt.get("workload_keyset_digest").asText());
    assertTrue(receipt.get("chat_id").asText().startsWith("chatcmpl-"));
    JsonNode log = receipt.get("event_log");
    assertEquals("request.received", log.get(0).get("type").asText());
    assertEquals(sha(body.getBytes(StandardCharsets.UTF_8)), log.get(0).get("body_hash").asText());
    assertEquals("request.forwarded", log.get(1).get("type").asText());
    assertEquals("sha256:" + f.echo.stats().lastBodySha256(), log.get(1).get("body_hash").asText());
    assertEquals("response.returned", log.get(2).get("type").asText());
    assertEquals(sha(r.body()), log.get(2).get("body_hash").asText(), "hash of the whole SSE stream");

    BridgeFixture.Resp unknown = f.get("/aci/receipts/rcpt-nope", Map.of());
    assertEquals(404, unknown.status());
  }

  static String sha(byte[] b) {
    return "sha256:" + Bytes.hex(Hashes.sha256(b));
  }

  /** Checks the Ed25519 signature over the JCS form without "signature", with the attested receipt key. */
  static void verifyReceipt(JsonNode receipt, JsonNode attestation) throws Exception {
    JsonNode key = attestation.at("/attestation/workload_keyset/receipt_signing_keys/0");
    assertEquals(key.get("key_id").asText(), receipt.get("key_id").asText());
    ObjectNode unsigned = ((ObjectNode) receipt).deepCopy();
    byte[] sig = Bytes.fromHex(unsigned.remove("signature").asText());
    Ed25519.PublicKey pub = Ed25519.PublicKey.fromBytes(Bytes.fromHex(key.get("public_key").asText()));
    assertTrue(pub.verify(Jcs.canonicalize(unsigned), sig), "receipt signature verifies");
    ObjectNode tampered = unsigned.deepCopy().put("model", "other");
    assertFalse(pub.verify(Jcs.canonicalize(tampered), sig));
    assertArrayEquals(Jcs.canonicalize(receipt), Jcs.canonicalize(receipt));
  }
}
