package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.bridge.E2eeTestClient.Kind;
import org.openshard.bridge.auth.ApiKeys;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.bridge.replay.RedisReplayStore;
import org.openshard.echo.EchoServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.RedisServer;

/** Replay state shared through Redis by two bridge replicas, fail-closed without Redis, and API keys. */
class SharedReplayAndAuthTest {
  @Test
  void twoReplicasShareReplayStateAndFailClosedWhenRedisIsDown() throws Exception {
    try (RedisServer redis = RedisServer.startPrivate();
        EchoServer echo = EchoServer.builder().start();
        OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build();
        RedisReplayStore storeA = RedisReplayStore.connect(redis.uri(), Duration.ofSeconds(1));
        RedisReplayStore storeB = RedisReplayStore.connect(redis.uri(), Duration.ofSeconds(1))) {
      BridgeServer a = BridgeServer.builder().backend(backend).serviceKeys(TestKeys.service()).replayStore(storeA).start();
      BridgeServer b = BridgeServer.builder().backend(backend).serviceKeys(TestKeys.service()).replayStore(storeB).start();
      try {
        BridgeFixtureClient ca = new BridgeFixtureClient(a);
        BridgeFixtureClient cb = new BridgeFixtureClient(b);
        // ACI: accepted by replica A, the same request replayed to replica B is rejected.
        AciRequest aci = new AciRequest(ca, Kind.X25519);
        assertEquals(200, ca.post("/chat/completions", aci.body, aci.headers).status());
        assertEquals("e2ee_replay_detected", cb.post("/chat/completions", aci.body, aci.headers).errorType());

        // Redis goes away: E2EE fails closed with 503, plain requests keep working.
        redis.close();
        AciRequest fresh = new AciRequest(ca, Kind.SECP256K1);
        BridgeFixture.Resp down = cb.post("/chat/completions", fresh.body, fresh.headers);
        assertEquals(503, down.status(), down.text());
        assertEquals("service_unavailable", down.errorType());
        BridgeFixture.Resp plain =
            cb.post("/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"still up\"}]}", Map.of());
        assertEquals(200, plain.status());
        assertEquals("still up", plain.json().at("/choices/0/message/content").asText());
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void apiKeysAreRequiredWhenConfigured(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "# bridge keys\nsk-first\n\n  sk-second  \n", StandardCharsets.UTF_8);
    try (BridgeFixture f = BridgeFixture.start(b -> b.apiKeys(readKeys(keys)))) {
      String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
      BridgeFixture.Resp none = f.post("/chat/completions", body, Map.of());
      assertEquals(401, none.status());
      assertEquals("invalid_api_key", none.json().at("/error/code").asText());
      assertNotNull(none.header("x-receipt-id"));
      assertEquals(401, f.post("/chat/completions", body, Map.of("Authorization", "Bearer sk-third")).status());
      assertEquals(401, f.post("/chat/completions", body, Map.of("Authorization", "sk-first")).status());
      assertEquals(401, f.get("/aci/attestation", Map.of()).status());
      assertEquals(200, f.post("/chat/completions", body, Map.of("Authorization", "Bearer sk-first")).status());
      assertEquals(200, f.post("/chat/completions", body, Map.of("Authorization", "bearer sk-second")).status());
    }
  }

  @Test
  void refusesNonLoopbackWithoutApiKeys() throws Exception {
    try (EchoServer echo = EchoServer.builder().start();
        OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build()) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> BridgeServer.builder().backend(backend).listen(ListenAddress.of("0.0.0.0", 0)).start());
      assertTrue(e.getMessage().contains("--api-keys"), e.getMessage());
      try (BridgeServer ok =
          BridgeServer.builder()
              .backend(backend)
              .listen(ListenAddress.of("0.0.0.0", 0))
              .apiKeys(ApiKeys.of(List.of("k")))
              .start()) {
        assertTrue(ok.port() > 0);
      }
    }
  }

  static ApiKeys readKeys(Path p) {
    try {
      return ApiKeys.read(p);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A minimal HTTP client for a bridge not wrapped in a fixture. */
  static final class BridgeFixtureClient {
    final BridgeServer bridge;
    final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    BridgeFixtureClient(BridgeServer bridge) {
      this.bridge = bridge;
    }

    BridgeFixture.Resp post(String path, String body, Map<String, String> headers) throws Exception {
      java.net.http.HttpRequest.Builder b =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(bridge.baseUrl() + path))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(b::header);
      var r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      return new BridgeFixture.Resp(r.statusCode(), r.headers(), r.body());
    }
  }

  /** An encrypted ACI chat request to a bridge using {@link TestKeys#service()}. */
  static final class AciRequest {
    final String body;
    final Map<String, String> headers;

    AciRequest(BridgeFixtureClient c, Kind kind) throws Exception {
      JsonNode att = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          c.http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(c.bridge.baseUrl() + "/aci/attestation")).build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body());
      String service = null;
      for (JsonNode k : att.at("/attestation/workload_keyset/e2ee_public_keys")) {
        if (k.get("algo").asText().equals(E2eeTestClient.aciAlgo(kind))) {
          service = k.get("public_key").asText();
        }
      }
      E2eeTestClient.ClientKey client =
          kind == Kind.X25519
              ? new E2eeTestClient.ClientKey(org.openshard.crypto.X25519.PrivateKey.generate())
              : new E2eeTestClient.ClientKey(org.openshard.crypto.Secp256k1PrivateKey.generate());
      String nonce = E2eeTestClient.randomNonce64();
      long ts = System.currentTimeMillis() / 1000;
      String ct =
          E2eeTestClient.encrypt(
              kind, org.openshard.crypto.Bytes.fromHex(service), "shared",
              E2eeTestClient.aciRequestAad(kind, "messages.0.content", "m", nonce, ts), E2eeTestClient.aciInfo(kind));
      this.body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + ct + "\"}]}";
      this.headers =
          Map.of(
              "X-E2EE-Version", "2", "X-Client-Pub-Key", client.publicHex(), "X-Model-Pub-Key", service,
              "X-E2EE-Nonce", nonce, "X-E2EE-Timestamp", Long.toString(ts));
    }
  }
}
