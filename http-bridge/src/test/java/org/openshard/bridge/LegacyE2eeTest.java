package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openshard.bridge.E2eeTestClient.ClientKey;
import org.openshard.bridge.E2eeTestClient.Kind;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;

/** The legacy (Dstack vllm-proxy / NEAR AI) E2EE path, v1 and strict v2, ECDSA and Ed25519. */
class LegacyE2eeTest {
  private static BridgeFixture f;
  private static Secp256k1PrivateKey ecdsaClient;
  private static Ed25519.PrivateKey edClient;

  @BeforeAll
  static void start() throws Exception {
    f = BridgeFixture.start();
    ecdsaClient = Secp256k1PrivateKey.fromBytes(TestKeys.filled(0x31));
    edClient = Ed25519.PrivateKey.fromSeed(TestKeys.filled(0x32));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static JsonNode report(String algo) throws Exception {
    BridgeFixture.Resp r = f.get("/attestation/report?signing_algo=" + algo + "&nonce=abc123", Map.of());
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  /** One legacy request being built. */
  static final class Call {
    final String algo;
    final boolean v2;
    final String model;
    String nonce = "n" + System.nanoTime() + "abcd1234abcd";
    long ts = System.currentTimeMillis() / 1000;
    final String serviceKey;

    Call(String algo, boolean v2, String model) throws Exception {
      this.algo = algo;
      this.v2 = v2;
      this.model = model;
      this.serviceKey = report(algo).get("signing_public_key").asText();
    }

    String clientPublicHex() {
      return algo.equals("ecdsa")
          ? Bytes.hex(ecdsaClient.publicKey().uncompressed()).substring(2)
          : Bytes.hex(edClient.publicKey().toBytes());
    }

    Map<String, String> headers() {
      Map<String, String> h = new HashMap<>();
      h.put("X-Signing-Algo", algo);
      h.put("X-Client-Pub-Key", clientPublicHex());
      h.put("X-Model-Pub-Key", serviceKey);
      if (v2) {
        h.put("X-E2EE-Version", "2");
        h.put("X-E2EE-Nonce", nonce);
        h.put("X-E2EE-Timestamp", Long.toString(ts));
      }
      return h;
    }

    String enc(int m, String c, String plaintext) throws Exception {
      byte[] aad = v2 ? E2eeTestClient.legacyRequestAad(algo, model, m, c, nonce, ts) : null;
      if (algo.equals("ecdsa")) {
        return E2eeTestClient.encrypt(Kind.SECP256K1, Bytes.fromHex("04" + serviceKey), plaintext, aad, "ecdsa_encryption");
      }
      byte[] serviceX = E2eeTestClient.edPublicToX25519(Bytes.fromHex(serviceKey));
      return E2eeTestClient.encrypt(Kind.X25519, serviceX, plaintext, aad, "ed25519_encryption");
    }

    String dec(String respModel, String id, int choice, String field, String ct) throws Exception {
      byte[] aad = v2 ? E2eeTestClient.legacyResponseAad(algo, respModel, id, choice, field, nonce, ts) : null;
      ClientKey me =
          algo.equals("ecdsa") ? new ClientKey(ecdsaClient) : new ClientKey(E2eeTestClient.edSeedToX25519(edClient));
      return E2eeTestClient.decrypt(me, ct, aad, E2eeTestClient.legacyInfo(algo));
    }

    /** system (string content) + user (list content with a text part and an image part). */
    ObjectNode chatBody(String system, String user) throws Exception {
      ObjectNode b = BridgeFixture.JSON.createObjectNode();
      b.put("model", model);
      ArrayNode msgs = b.putArray("messages");
      msgs.addObject().put("role", "system").put("content", enc(0, "-", system));
      ArrayNode parts = msgs.addObject().put("role", "user").putArray("content");
      parts.addObject().put("type", "image_url").putObject("image_url").put("url", "https://plain/url.png");
      parts.addObject().put("type", "text").put("text", enc(1, "1", user));
      return b;
    }
  }

  @ParameterizedTest
  @CsvSource({"ecdsa,false", "ecdsa,true", "ed25519,false", "ed25519,true"})
  void bufferedRoundTrip(String algo, boolean v2) throws Exception {
    Call c = new Call(algo, v2, "legacy-model");
    ObjectNode body = c.chatBody("sys prompt", "legacy secret");
    body.putObject("x_echo").put("reasoning", "legacy reasoning");
    BridgeFixture.Resp r = f.post("/chat/completions", body.toString(), c.headers());
    assertEquals(200, r.status(), r.text());
    assertEquals("true", r.header("x-e2ee-applied"));
    assertEquals(v2 ? "2" : "1", r.header("x-e2ee-version"));
    assertEquals(algo, r.header("x-e2ee-algo"));
    assertFalse(r.text().contains("legacy secret"));
    JsonNode j = r.json();
    // The response AAD uses the model of the response object (the upstream's).
    String respModel = j.get("model").asText();
    assertEquals("legacy secret", c.dec(respModel, j.get("id").asText(), 0, "content", j.at("/choices/0/message/content").asText()));
    assertEquals(
        "legacy reasoning",
        c.dec(respModel, j.get("id").asText(), 0, "reasoning_content", j.at("/choices/0/message/reasoning_content").asText()));
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    assertEquals(v2 ? "legacy_v2" : "legacy_v1", receipt.get("e2ee").asText());
  }

  @ParameterizedTest
  @CsvSource({"ecdsa,false", "ecdsa,true", "ed25519,false", "ed25519,true"})
  void streamingIsDecryptedChunkByChunk(String algo, boolean v2) throws Exception {
    Call c = new Call(algo, v2, "lm");
    ObjectNode body = c.chatBody("s", "alpha beta gamma");
    body.put("stream", true);
    body.putObject("x_echo").put("token_delay_ms", 5);
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(f.bridge.baseUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    c.headers().forEach(req::header);
    HttpResponse<Stream<String>> r = f.http.send(req.build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    StringBuilder text = new StringBuilder();
    boolean done = false;
    Iterator<String> lines = r.body().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.startsWith("data: ")) {
        continue;
      }
      if (line.equals("data: [DONE]")) {
        done = true;
        continue;
      }
      JsonNode chunk = BridgeFixture.JSON.readTree(line.substring(6));
      String content = chunk.at("/choices/0/delta/content").asText("");
      if (!content.isEmpty()) {
        text.append(c.dec(chunk.get("model").asText(), chunk.get("id").asText(), 0, "content", content));
      }
    }
    assertTrue(done);
    assertEquals("alpha beta gamma", text.toString());
  }

  @Test
  void reportsPublishTheKeysBoundToTheIdentity() throws Exception {
    JsonNode e = report("ecdsa");
    assertEquals(128, e.get("signing_public_key").asText().length());
    String addr = Secp256k1PrivateKey.fromBytes(TestKeys.filled(0x05)).publicKey().ethereumAddress();
    assertEquals(addr, e.get("signing_address").asText());
    assertEquals("none", e.get("tee_type").asText());
    assertEquals(e.get("signing_public_key").asText(), e.at("/all_attestations/0/signing_public_key").asText());
    ObjectNode signed = BridgeFixture.JSON.createObjectNode().put("nonce", "abc123").put("signing_algo", "ecdsa")
        .put("signing_public_key", e.get("signing_public_key").asText());
    assertEquals(
        TestKeys.identity().publicKey().ethereumAddress(),
        IdentitySignatures.recoverAddress("openshard.v1.LegacyE2eeKey", Jcs.canonicalize(signed), Bytes.fromHex(e.at("/identity/signature").asText())));
    JsonNode ed = report("ed25519");
    assertEquals(64, ed.get("signing_public_key").asText().length());
    assertEquals(400, f.get("/attestation/report?signing_algo=rsa", Map.of()).status());
  }

  @Test
  void strictV2ReplayIsRejectedButOnlyAfterSuccessfulDecryption() throws Exception {
    Call c = new Call("ecdsa", true, "m");
    String body = c.chatBody("s", "u").toString();
    // A request that fails decryption does not burn the nonce.
    assertType("e2ee_decryption_failed",
        f.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"00\"}]}", c.headers()));
    assertEquals(200, f.post("/chat/completions", body, c.headers()).status());
    assertType("e2ee_replay_detected", f.post("/chat/completions", body, c.headers()));
    // v1 has no replay protection.
    Call v1 = new Call("ed25519", false, "m");
    String b1 = v1.chatBody("s", "u").toString();
    assertEquals(200, f.post("/chat/completions", b1, v1.headers()).status());
    assertEquals(200, f.post("/chat/completions", b1, v1.headers()).status());
  }

  @Test
  void tamperingFailsDecryption() throws Exception {
    // Request AAD binds the message index: swap the two encrypted fields.
    Call c = new Call("ed25519", true, "m");
    ObjectNode b = BridgeFixture.JSON.createObjectNode().put("model", "m");
    ArrayNode msgs = b.putArray("messages");
    msgs.addObject().put("role", "user").put("content", c.enc(1, "-", "a"));
    msgs.addObject().put("role", "user").put("content", c.enc(0, "-", "b"));
    assertType("e2ee_decryption_failed", f.post("/chat/completions", b.toString(), c.headers()));
    // Model in the AAD.
    Call m = new Call("ecdsa", true, "real");
    String other = "{\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"" + m.enc(0, "-", "x") + "\"}]}";
    assertType("e2ee_decryption_failed", f.post("/chat/completions", other, m.headers()));
    // Flipped byte, v1.
    Call v1 = new Call("ecdsa", false, "m");
    String ct = v1.enc(0, "-", "x");
    String flipped = ct.substring(0, 140) + (ct.charAt(140) == 'a' ? 'b' : 'a') + ct.substring(141);
    assertType("e2ee_decryption_failed",
        f.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + flipped + "\"}]}", v1.headers()));
  }

  @Test
  void everyValidationErrorType() throws Exception {
    String body = "{\"model\":\"m\",\"messages\":[]}";
    Call c = new Call("ecdsa", true, "m");
    Map<String, String> h = c.headers();
    h.put("X-Signing-Algo", "rsa");
    assertType("e2ee_invalid_signing_algo", f.post("/chat/completions", body, h));
    Map<String, String> trimmed = c.headers();
    trimmed.put("X-Signing-Algo", " ECDSA ");
    assertEquals(200, f.post("/chat/completions", c.chatBody("s", "u").toString(), trimmed).status(), "trimmed, case-insensitive");

    Map<String, String> noModelKey = new Call("ecdsa", false, "m").headers();
    noModelKey.remove("X-Model-Pub-Key");
    assertType("e2ee_header_missing", f.post("/chat/completions", body, noModelKey));
    Map<String, String> onlyNonce = new Call("ecdsa", false, "m").headers();
    onlyNonce.put("X-E2EE-Nonce", "n1750000000abcd1234abcd");
    assertType("e2ee_header_missing", f.post("/chat/completions", body, onlyNonce));
    Map<String, String> v2NoNonce = new Call("ecdsa", false, "m").headers();
    v2NoNonce.put("X-E2EE-Version", "2");
    assertType("e2ee_header_missing", f.post("/chat/completions", body, v2NoNonce));

    Map<String, String> badVersion = new Call("ecdsa", false, "m").headers();
    badVersion.put("X-E2EE-Version", "3");
    assertType("e2ee_invalid_version", f.post("/chat/completions", body, badVersion));

    Map<String, String> compressed = new Call("ecdsa", false, "m").headers();
    compressed.put("X-Client-Pub-Key", Bytes.hex(ecdsaClient.publicKey().compressed()));
    assertType("e2ee_invalid_public_key", f.post("/chat/completions", body, compressed));
    Map<String, String> shortEd = new Call("ed25519", false, "m").headers();
    shortEd.put("X-Client-Pub-Key", Bytes.hex(new byte[31]));
    assertType("e2ee_invalid_public_key", f.post("/chat/completions", body, shortEd));

    Map<String, String> wrongModelKey = new Call("ed25519", false, "m").headers();
    wrongModelKey.put("X-Model-Pub-Key", Bytes.hex(edClient.publicKey().toBytes()));
    assertType("e2ee_model_key_mismatch", f.post("/chat/completions", body, wrongModelKey));

    Map<String, String> shortNonce = new Call("ecdsa", true, "m").headers();
    shortNonce.put("X-E2EE-Nonce", "tooshort");
    assertType("e2ee_invalid_nonce", f.post("/chat/completions", body, shortNonce));
    Map<String, String> oldTs = new Call("ecdsa", true, "m").headers();
    oldTs.put("X-E2EE-Timestamp", Long.toString(System.currentTimeMillis() / 1000 - 400));
    assertType("e2ee_invalid_timestamp", f.post("/chat/completions", body, oldTs));

    // Dstack's own nonce style (not 64 hex) is accepted in strict v2.
    Call dstack = new Call("ecdsa", true, "m");
    dstack.nonce = "n" + (System.currentTimeMillis() / 1000) + "abcd1234abcd" + System.nanoTime();
    assertEquals(200, f.post("/chat/completions", dstack.chatBody("s", "u").toString(), dstack.headers()).status());

    assertType("invalid_e2ee_request", f.post("/completions", "{\"model\":\"m\",\"prompt\":\"x\"}", new Call("ecdsa", false, "m").headers()));
  }

  static void assertType(String type, BridgeFixture.Resp r) {
    AciE2eeTest.assertType(type, r, "");
  }
}
