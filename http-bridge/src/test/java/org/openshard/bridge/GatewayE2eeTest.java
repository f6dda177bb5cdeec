package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openshard.bridge.E2eeTestClient.ClientKey;
import org.openshard.bridge.E2eeTestClient.Kind;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;

/**
 * E2EE (ACI v2 and legacy strict v2) on top of the gateway backend: the client encrypts with the
 * independent test client, the fake gateway must see plaintext, the client decrypts the answer, and
 * the X-OpenShard-* summary still reaches the client.
 */
class GatewayE2eeTest {
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

  /** The prompt the gateway received (decrypted by the bridge). */
  private static String promptSeenByGateway() throws Exception {
    JsonNode j = BridgeFixture.JSON.readTree(gw.last().request().getOpenaiRequestJson());
    return j.at("/messages/0/content").asText();
  }

  @ParameterizedTest
  @CsvSource({"X25519,false", "X25519,true", "SECP256K1,false", "SECP256K1,true"})
  void aciV2(Kind kind, boolean stream) throws Exception {
    JsonNode att = f.get("/aci/attestation", Map.of()).json();
    String service = null;
    for (JsonNode k : att.at("/attestation/workload_keyset/e2ee_public_keys")) {
      if (k.get("algo").asText().equals(E2eeTestClient.aciAlgo(kind))) {
        service = k.get("public_key").asText();
      }
    }
    ClientKey me =
        kind == Kind.X25519
            ? new ClientKey(X25519.PrivateKey.fromBytes(TestKeys.filled(0x41)))
            : new ClientKey(Secp256k1PrivateKey.fromBytes(TestKeys.filled(0x42)));
    String model = "gw-model";
    String nonce = E2eeTestClient.randomNonce64();
    long ts = System.currentTimeMillis() / 1000;
    String prompt = "secret gateway prompt";
    String ct =
        E2eeTestClient.encrypt(
            kind, Bytes.fromHex(service), prompt,
            E2eeTestClient.aciRequestAad(kind, "messages.0.content", model, nonce, ts), E2eeTestClient.aciInfo(kind));
    ObjectNode body = BridgeFixture.JSON.createObjectNode().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", ct);
    if (stream) {
      body.put("stream", true);
    }
    Map<String, String> h = new HashMap<>();
    h.put("X-E2EE-Version", "2");
    h.put("X-Client-Pub-Key", me.publicHex());
    h.put("X-Model-Pub-Key", service);
    h.put("X-E2EE-Nonce", nonce);
    h.put("X-E2EE-Timestamp", Long.toString(ts));
    BridgeFixture.Resp r = f.post("/chat/completions", body.toString(), h);
    assertEquals(200, r.status(), r.text());
    assertEquals("true", r.header("x-e2ee-applied"));
    assertFalse(r.text().contains(prompt), "the answer travels encrypted");
    assertEquals(prompt, promptSeenByGateway(), "the gateway gets the decrypted request");
    String info = E2eeTestClient.aciInfo(kind);
    String answer;
    if (!stream) {
      JsonNode j = r.json();
      String id = j.get("id").asText();
      answer =
          E2eeTestClient.decrypt(
              me, j.at("/choices/0/message/content").asText(),
              E2eeTestClient.aciResponseAad(kind, "choices.0.message.content", id, model, nonce, ts), info);
      assertEquals(FakeGateway.SELLER, r.header("x-openshard-seller"));
    } else {
      StringBuilder sb = new StringBuilder();
      List<String> data = r.sseData();
      assertEquals("[DONE]", data.get(data.size() - 1));
      for (String d : data.subList(0, data.size() - 1)) {
        JsonNode c = BridgeFixture.JSON.readTree(d);
        JsonNode content = c.at("/choices/0/delta/content");
        if (content.isTextual()) {
          sb.append(
              E2eeTestClient.decrypt(
                  me, content.asText(),
                  E2eeTestClient.aciResponseAad(kind, "choices.0.delta.content", c.get("id").asText(), model, nonce, ts), info));
        }
      }
      answer = sb.toString();
    }
    assertEquals(prompt, answer);
    JsonNode receipt = f.receipt(r.header("x-receipt-id"), Map.of());
    assertEquals("aci_v2", receipt.get("e2ee").asText());
    assertEquals(FakeGateway.SELLER, receipt.at("/event_log/1/target").asText());
  }

  @ParameterizedTest
  @CsvSource({"ecdsa,false", "ecdsa,true", "ed25519,false", "ed25519,true"})
  void legacyStrictV2(String algo, boolean stream) throws Exception {
    String service = f.get("/attestation/report?signing_algo=" + algo, Map.of()).json().get("signing_public_key").asText();
    Secp256k1PrivateKey ecdsa = Secp256k1PrivateKey.fromBytes(TestKeys.filled(0x51));
    Ed25519.PrivateKey ed = Ed25519.PrivateKey.fromSeed(TestKeys.filled(0x52));
    String model = "gw-legacy";
    String nonce = "n" + System.nanoTime() + "abcd1234abcd";
    long ts = System.currentTimeMillis() / 1000;
    String prompt = "legacy gateway secret";
    byte[] aad = E2eeTestClient.legacyRequestAad(algo, model, 0, "-", nonce, ts);
    String ct;
    ClientKey me;
    String clientHex;
    if (algo.equals("ecdsa")) {
      ct = E2eeTestClient.encrypt(Kind.SECP256K1, Bytes.fromHex("04" + service), prompt, aad, "ecdsa_encryption");
      me = new ClientKey(ecdsa);
      clientHex = Bytes.hex(ecdsa.publicKey().uncompressed()).substring(2);
    } else {
      ct = E2eeTestClient.encrypt(
          Kind.X25519, E2eeTestClient.edPublicToX25519(Bytes.fromHex(service)), prompt, aad, "ed25519_encryption");
      me = new ClientKey(E2eeTestClient.edSeedToX25519(ed));
      clientHex = Bytes.hex(ed.publicKey().toBytes());
    }
    ObjectNode body = BridgeFixture.JSON.createObjectNode().put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", ct);
    if (stream) {
      body.put("stream", true);
    }
    Map<String, String> h =
        Map.of(
            "X-Signing-Algo", algo, "X-Client-Pub-Key", clientHex, "X-Model-Pub-Key", service, "X-E2EE-Version", "2",
            "X-E2EE-Nonce", nonce, "X-E2EE-Timestamp", Long.toString(ts));
    BridgeFixture.Resp r = f.post("/chat/completions", body.toString(), h);
    assertEquals(200, r.status(), r.text());
    assertFalse(r.text().contains(prompt));
    assertEquals(prompt, promptSeenByGateway());
    String info = E2eeTestClient.legacyInfo(algo);
    String answer;
    if (!stream) {
      JsonNode j = r.json();
      answer =
          E2eeTestClient.decrypt(
              me, j.at("/choices/0/message/content").asText(),
              E2eeTestClient.legacyResponseAad(algo, j.get("model").asText(), j.get("id").asText(), 0, "content", nonce, ts), info);
      assertEquals(FakeGateway.SELLER, r.header("x-openshard-seller"));
    } else {
      StringBuilder sb = new StringBuilder();
      int encrypted = 0;
      for (String d : r.sseData()) {
        if (d.equals("[DONE]")) {
          continue;
        }
        JsonNode c = BridgeFixture.JSON.readTree(d);
        JsonNode content = c.at("/choices/0/delta/content");
        if (content.isTextual() && !content.asText().isEmpty()) {
          encrypted++;
          sb.append(
              E2eeTestClient.decrypt(
                  me, content.asText(),
                  E2eeTestClient.legacyResponseAad(algo, c.get("model").asText(), c.get("id").asText(), 0, "content", nonce, ts),
                  info));
        }
      }
      assertTrue(encrypted >= 3, "one encrypted field per word");
      answer = sb.toString();
    }
    assertEquals(prompt, answer);
  }
}
