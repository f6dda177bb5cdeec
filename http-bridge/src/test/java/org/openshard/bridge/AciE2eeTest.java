package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openshard.bridge.E2eeTestClient.ClientKey;
import org.openshard.bridge.E2eeTestClient.Kind;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;

/** ACI E2EE v2 through a real bridge and echo upstream, with the independent test client. */
class AciE2eeTest {
  private static BridgeFixture f;
  private static JsonNode attestation;
  private static ClientKey clientX;
  private static ClientKey clientS;

  @BeforeAll
  static void start() throws Exception {
    f = BridgeFixture.start();
    attestation = f.get("/aci/attestation?nonce=" + E2eeTestClient.randomNonce64(), Map.of()).json();
    clientX = new ClientKey(X25519.PrivateKey.fromBytes(TestKeys.filled(0x21)));
    clientS = new ClientKey(Secp256k1PrivateKey.fromBytes(TestKeys.filled(0x22)));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static ClientKey client(Kind k) {
    return k == Kind.X25519 ? clientX : clientS;
  }

  /** The service key the attestation publishes for a suite. */
  static String serviceKeyHex(Kind k) {
    for (JsonNode key : attestation.at("/attestation/workload_keyset/e2ee_public_keys")) {
      if (key.get("algo").asText().equals(E2eeTestClient.aciAlgo(k))) {
        return key.get("public_key").asText();
      }
    }
    throw new AssertionError("no key for " + k);
  }

  /** One ACI request being built. */
  static final class Call {
    final Kind kind;
    final String model;
    String nonce = E2eeTestClient.randomNonce64();
    long ts = System.currentTimeMillis() / 1000;
    final Map<String, String> headers = new HashMap<>();

    Call(Kind kind, String model) {
      this.kind = kind;
      this.model = model;
    }

    Map<String, String> headers() {
      Map<String, String> h = new HashMap<>();
      h.put("X-E2EE-Version", "2");
      h.put("X-Client-Pub-Key", client(kind).publicHex());
      h.put("X-Model-Pub-Key", serviceKeyHex(kind));
      h.put("X-E2EE-Nonce", nonce);
      h.put("X-E2EE-Timestamp", Long.toString(ts));
      h.putAll(headers);
      return h;
    }

    String enc(String field, String plaintext) throws Exception {
      return encWith(field, plaintext, model, ts);
    }

    String encWith(String field, String plaintext, String aadModel, long aadTs) throws Exception {
      return E2eeTestClient.encrypt(
          kind,
          Bytes.fromHex(serviceKeyHex(kind)),
          plaintext,
          E2eeTestClient.aciRequestAad(kind, field, aadModel, nonce, aadTs),
          E2eeTestClient.aciInfo(kind));
    }

    String dec(String field, String id, String ct) throws Exception {
      return E2eeTestClient.decrypt(
          client(kind), ct, E2eeTestClient.aciResponseAad(kind, field, id, model, nonce, ts), E2eeTestClient.aciInfo(kind));
    }

    /** {"model":…,"messages":[system,user]} with both contents encrypted; extra members appended. */
    ObjectNode chatBody(String system, String user) throws Exception {
      ObjectNode b = BridgeFixture.JSON.createObjectNode();
      b.put("model", model);
      ArrayNode msgs = b.putArray("messages");
      msgs.addObject().put("role", "system").put("content", enc("messages.0.content", system));
      msgs.addObject().put("role", "user").put("content", enc("messages.1.content", user));
      return b;
    }
  }

  static String plainChat(String model, String system, String user, String... extra) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"" + system
        + "\"},{\"role\":\"user\",\"content\":\"" + user + "\"}]" + String.join("", extra) + "}";
  }

  @Test
  void attestationBindsTheKeysetToTheNodeIdentity() throws Exception {
    assertEquals("aci/1", attestation.get("api_version").asText());
    assertEquals("none", attestation.at("/attestation/tee_type").asText());
    JsonNode keyset = attestation.at("/attestation/workload_keyset");
    byte[] digest = Hashes.sha256(Jcs.canonicalize(keyset));
    assertEquals("sha256:" + Bytes.hex(digest), attestation.get("workload_keyset_digest").asText());
    String peer = TestKeys.identity().publicKey().ethereumAddress();
    assertEquals(peer, attestation.at("/identity/peer_id").asText());
    assertEquals(
        peer,
        IdentitySignatures.recoverAddress(
            "openshard.v1.AciKeyset", digest, Bytes.fromHex(attestation.at("/identity/signature").asText())));
    byte[] reportData = Bytes.fromHex(attestation.at("/attestation/report_data").asText());
    assertEquals(
        peer,
        IdentitySignatures.recoverAddress(
            "openshard.v1.AciReportData", reportData, Bytes.fromHex(attestation.at("/identity/report_data_signature").asText())));
    byte[] nonce = Bytes.fromHex(attestation.at("/attestation/evidence/nonce").asText());
    assertEquals(Bytes.hex(Bytes.concat(digest, Hashes.sha256(nonce))), Bytes.hex(reportData));
    // The service X25519 key is the test-vectors.md one (private key 32 × 0x03).
    assertEquals("5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef22", serviceKeyHex(Kind.X25519));
    String receiptKey = keyset.at("/receipt_signing_keys/0/public_key").asText();
    for (JsonNode k : keyset.get("e2ee_public_keys")) {
      assertNotEquals(receiptKey, k.get("public_key").asText(), "a receipt key is never an E2EE key");
    }
    assertEquals(List.of("2"), List.of(attestation.at("/service_capabilities/supported_e2ee_versions/0").asText()));
    assertEquals(400, f.get("/aci/attestation?nonce=zz", Map.of()).status());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bufferedRoundTrip(Kind kind) throws Exception {
    Call c = new Call(kind, "model-" + kind);
    ObjectNode body = c.chatBody("be brief", "the secret prompt");
    body.putObject("x_echo").put("reasoning", "hidden thoughts");
    BridgeFixture.Resp r = f.post("/chat/completions", BridgeFixture.JSON.writeValueAsString(body), c.headers());
    assertEquals(200, r.status(), r.text());
    assertEquals("true", r.header("x-e2ee-applied"));
    assertEquals("2", r.header("x-e2ee-version"));
    assertEquals(E2eeTestClient.aciAlgo(kind), r.header("x-e2ee-algo"));
    assertFalse(r.text().contains("the secret prompt"), "the completion travels encrypted");
    JsonNode j = r.json();
    String id = j.get("id").asText();
    assertEquals("the secret prompt", c.dec("choices.0.message.content", id, j.at("/choices/0/message/content").asText()));
    assertEquals(
        "hidden thoughts", c.dec("choices.0.message.reasoning_content", id, j.at("/choices/0/message/reasoning_content").asText()));

    // Receipt: request.received is the hash of the request as the client wrote it in plaintext.
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    BridgePlainTest.verifyReceipt(receipt, attestation);
    String plain = plainChat(c.model, "be brief", "the secret prompt", ",\"x_echo\":{\"reasoning\":\"hidden thoughts\"}");
    assertEquals(BridgePlainTest.sha(plain.getBytes(StandardCharsets.UTF_8)), receipt.at("/event_log/0/body_hash").asText());
    assertEquals("sha256:" + f.echo.stats().lastBodySha256(), receipt.at("/event_log/1/body_hash").asText());
    assertEquals(BridgePlainTest.sha(r.body()), receipt.at("/event_log/2/body_hash").asText());
    assertEquals("aci_v2", receipt.get("e2ee").asText());
    assertEquals(id, receipt.get("chat_id").asText());
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void streamingIsDecryptedChunkByChunk(Kind kind) throws Exception {
    Call c = new Call(kind, "stream-model");
    ObjectNode body = c.chatBody("sys", "one two three four");
    body.put("stream", true);
    body.putObject("stream_options").put("include_usage", true);
    body.putObject("x_echo").put("token_delay_ms", 5).put("reasoning", "think");
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(f.bridge.baseUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(BridgeFixture.JSON.writeValueAsString(body)));
    c.headers().forEach(req::header);
    HttpResponse<Stream<String>> r = f.http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertEquals("true", r.headers().firstValue("x-e2ee-applied").orElse(""));
    StringBuilder content = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    int encryptedChunks = 0;
    boolean done = false;
    boolean sawUsage = false;
    Iterator<String> lines = r.body().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.startsWith("data: ")) {
        continue;
      }
      String data = line.substring(6);
      if (data.equals("[DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = BridgeFixture.JSON.readTree(data);
      if (chunk.get("choices").size() == 0) {
        sawUsage = chunk.get("usage").isObject();
        continue;
      }
      JsonNode delta = chunk.at("/choices/0/delta");
      String id = chunk.get("id").asText();
      if (delta.has("content")) {
        content.append(c.dec("choices.0.delta.content", id, delta.get("content").asText()));
        encryptedChunks++;
      }
      if (delta.has("reasoning_content")) {
        reasoning.append(c.dec("choices.0.delta.reasoning_content", id, delta.get("reasoning_content").asText()));
      }
    }
    assertTrue(done);
    assertTrue(sawUsage);
    assertEquals("one two three four", content.toString());
    assertEquals("think", reasoning.toString());
    assertEquals(4, encryptedChunks, "one encrypted field per word; the empty role-chunk content is omitted");
  }

  @Test
  void structuredContentAndCompletions() throws Exception {
    Call c = new Call(Kind.X25519, "m");
    ObjectNode body = BridgeFixture.JSON.createObjectNode();
    body.put("model", c.model);
    ArrayNode msgs = body.putArray("messages");
    // Message 0: an array serialized to JSON and encrypted as a whole; restored as an array.
    msgs.addObject()
        .put("role", "user")
        .put("content", c.enc("messages.0.content", "[{\"type\":\"text\",\"text\":\"restored array\"}]"));
    // Message 1: per-part encryption.
    ArrayNode parts = msgs.addObject().put("role", "user").putArray("content");
    parts.addObject().put("type", "text").put("text", c.enc("messages.1.content.0.text", "part text"));
    parts.addObject().put("type", "image_url").putObject("image_url").put("url", c.enc("messages.1.content.1.image_url.url", "https://x/y.png"));
    BridgeFixture.Resp r = f.post("/chat/completions", BridgeFixture.JSON.writeValueAsString(body), c.headers());
    assertEquals(200, r.status(), r.text());
    assertEquals("part text", c.dec("choices.0.message.content", r.json().get("id").asText(), r.json().at("/choices/0/message/content").asText()));
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    String restored =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"restored array\"}]},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"part text\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}";
    assertEquals(BridgePlainTest.sha(restored.getBytes(StandardCharsets.UTF_8)), receipt.at("/event_log/0/body_hash").asText());

    Call p = new Call(Kind.SECP256K1, "cm");
    String cbody = "{\"model\":\"cm\",\"prompt\":\"" + p.enc("prompt", "complete this") + "\"}";
    BridgeFixture.Resp cr = f.post("/completions", cbody, p.headers());
    assertEquals(200, cr.status(), cr.text());
    assertEquals("complete this", p.dec("choices.0.text", cr.json().get("id").asText(), cr.json().at("/choices/0/text").asText()));
  }

  @Test
  void tamperingFailsDecryption() throws Exception {
    // Flipped ciphertext byte.
    Call flip = new Call(Kind.X25519, "m");
    ObjectNode b = flip.chatBody("s", "u");
    String ct = b.at("/messages/1/content").asText();
    char last = ct.charAt(ct.length() - 1);
    ((ObjectNode) b.at("/messages/1")).put("content", ct.substring(0, ct.length() - 1) + (last == '0' ? '1' : '0'));
    assertType("e2ee_decryption_failed", f.post("/chat/completions", b.toString(), flip.headers()));

    // AAD mismatch: encrypted for model "a", sent with model "b".
    Call model = new Call(Kind.SECP256K1, "b");
    String wrongModel = "{\"model\":\"b\",\"messages\":[{\"role\":\"user\",\"content\":\"" + model.encWith("messages.0.content", "x", "a", model.ts) + "\"}]}";
    assertType("e2ee_decryption_failed", f.post("/chat/completions", wrongModel, model.headers()));

    // AAD mismatch: encrypted with another timestamp than the header's.
    Call ts = new Call(Kind.X25519, "m");
    String wrongTs = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + ts.encWith("messages.0.content", "x", "m", ts.ts - 1) + "\"}]}";
    assertType("e2ee_decryption_failed", f.post("/chat/completions", wrongTs, ts.headers()));

    // Ciphertext moved to another field.
    Call moved = new Call(Kind.X25519, "m");
    ObjectNode mb = moved.chatBody("first", "second");
    JsonNode c0 = mb.at("/messages/0/content");
    ((ObjectNode) mb.at("/messages/0")).set("content", mb.at("/messages/1/content"));
    ((ObjectNode) mb.at("/messages/1")).set("content", c0);
    assertType("e2ee_decryption_failed", f.post("/chat/completions", mb.toString(), moved.headers()));

    // Not hex / too short / plaintext where ciphertext belongs.
    for (String bad : new String[] {"zz", "00", "hello world"}) {
      Call m = new Call(Kind.X25519, "m");
      assertType(
          "e2ee_decryption_failed",
          f.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + bad + "\"}]}", m.headers()));
    }

    // No encrypted field at all.
    Call none = new Call(Kind.X25519, "m");
    assertType("e2ee_decryption_failed", f.post("/chat/completions", "{\"model\":\"m\",\"messages\":[]}", none.headers()));
  }

  @Test
  void replayIsRejectedAndClaimedBeforeDecryption() throws Exception {
    Call c = new Call(Kind.X25519, "m");
    String body = c.chatBody("s", "u").toString();
    assertEquals(200, f.post("/chat/completions", body, c.headers()).status());
    assertType("e2ee_replay_detected", f.post("/chat/completions", body, c.headers()));

    // A request that fails decryption still burns its nonce (the claim precedes decryption).
    Call d = new Call(Kind.SECP256K1, "m");
    assertType("e2ee_decryption_failed",
        f.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"00\"}]}", d.headers()));
    assertType("e2ee_replay_detected", f.post("/chat/completions", d.chatBody("s", "u").toString(), d.headers()));

    // The 64-byte and 65-byte spellings of one secp256k1 client key are one tuple.
    Call e = new Call(Kind.SECP256K1, "m");
    String eb = e.chatBody("s", "u").toString();
    Map<String, String> h64 = e.headers();
    h64.put("X-Client-Pub-Key", h64.get("X-Client-Pub-Key").substring(2));
    assertEquals(200, f.post("/chat/completions", eb, h64).status());
    assertType("e2ee_replay_detected", f.post("/chat/completions", eb, e.headers()));
  }

  @Test
  void everyValidationErrorTypeInTheSpecsOrder() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"00\"}]}";
    // version first: a bad version wins over missing headers.
    assertType("e2ee_invalid_version", f.post("/chat/completions", body, Map.of("X-E2EE-Version", "1", "X-E2EE-Nonce", "x")));
    // headers present.
    assertType("e2ee_header_missing", f.post("/chat/completions", body, Map.of("X-Client-Pub-Key", clientX.publicHex())));
    Call base = new Call(Kind.X25519, "m");
    Map<String, String> h = base.headers();
    h.remove("X-E2EE-Version");
    assertType("e2ee_header_missing", f.post("/chat/completions", body, h));
    // nonce format, before the timestamp.
    for (String bad : new String[] {"ab", "0x" + E2eeTestClient.randomNonce64().substring(2), E2eeTestClient.randomNonce64() + "00"}) {
      Map<String, String> hn = new Call(Kind.X25519, "m").headers();
      hn.put("X-E2EE-Nonce", bad);
      hn.put("X-E2EE-Timestamp", "1");
      assertType("e2ee_invalid_nonce", f.post("/chat/completions", body, hn));
    }
    Map<String, String> upper = new Call(Kind.X25519, "m").headers();
    upper.put("X-E2EE-Nonce", upper.get("X-E2EE-Nonce").toUpperCase());
    upper.put("X-Model-Pub-Key", "00");
    assertType("e2ee_model_key_mismatch", f.post("/chat/completions", body, upper), "upper-case nonce hex is accepted");
    // timestamp window, before the model key.
    for (String bad : new String[] {Long.toString(System.currentTimeMillis() / 1000 - 301), "soon", "1.5"}) {
      Map<String, String> ht = new Call(Kind.X25519, "m").headers();
      ht.put("X-E2EE-Timestamp", bad);
      ht.put("X-Model-Pub-Key", "00");
      assertType("e2ee_invalid_timestamp", f.post("/chat/completions", body, ht));
    }
    // model key, before the client key.
    Map<String, String> hm = new Call(Kind.X25519, "m").headers();
    hm.put("X-Model-Pub-Key", Bytes.hex(TestKeys.filled(0x09)));
    hm.put("X-Client-Pub-Key", "nothex");
    assertType("e2ee_model_key_mismatch", f.post("/chat/completions", body, hm));
    // client key.
    for (String bad : new String[] {"nothex", "00", Bytes.hex(new byte[32]), Bytes.hex(new byte[33])}) {
      Map<String, String> hc = new Call(Kind.X25519, "m").headers();
      hc.put("X-Client-Pub-Key", bad);
      assertType("e2ee_invalid_public_key", f.post("/chat/completions", body, hc));
    }
    Map<String, String> hs = new Call(Kind.SECP256K1, "m").headers();
    hs.put("X-Client-Pub-Key", "04" + Bytes.hex(new byte[64]));
    assertType("e2ee_invalid_public_key", f.post("/chat/completions", body, hs), "a point not on the curve");
    // payload model, before the replay claim.
    Call pm = new Call(Kind.X25519, "m");
    assertType("e2ee_invalid_payload_model", f.post("/chat/completions", "{\"messages\":[]}", pm.headers()));
    assertType("e2ee_invalid_payload_model", f.post("/chat/completions", "{\"model\":7,\"messages\":[]}", pm.headers()));
    assertEquals(200, f.post("/chat/completions", pm.chatBody("s", "u").toString(), pm.headers()).status(),
        "a payload-model failure does not claim the nonce");
    // endpoint without defined fields.
    assertType("e2ee_unsupported_endpoint", f.get("/models", new Call(Kind.X25519, "m").headers()));
    // 0x prefix on keys is accepted.
    Call ox = new Call(Kind.X25519, "m");
    Map<String, String> hx = ox.headers();
    hx.put("X-Client-Pub-Key", "0x" + hx.get("X-Client-Pub-Key"));
    assertEquals(200, f.post("/chat/completions", ox.chatBody("s", "u").toString(), hx).status());
  }

  static void assertType(String type, BridgeFixture.Resp r) {
    assertType(type, r, "");
  }

  static void assertType(String type, BridgeFixture.Resp r, String why) {
    assertEquals(400, r.status(), why + " " + r.text());
    assertEquals(type, r.errorType(), why + " " + r.text());
    JsonNode e = r.json().get("error");
    assertTrue(e.get("param").isNull() && e.get("code").isNull(), r.text());
  }
}
