package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.stream.StreamMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openshard.bridge.backend.BackendException;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.reactivestreams.Publisher;

/** A non-HTTP backend plugged in through the interface, as the buyer's gateway backend will be. */
class CustomBackendTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Records what it was given; answers from code; fails on request. */
  static final class StubBackend implements ChatBackend {
    final List<RequestContext> contexts = new CopyOnWriteArrayList<>();
    final List<ObjectNode> requests = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<ObjectNode> chatCompletion(ObjectNode request, RequestContext ctx) {
      contexts.add(ctx);
      requests.add(request);
      byte[] forwarded = request.toString().getBytes(StandardCharsets.UTF_8);
      ctx.forwarded(forwarded, "stub");
      if (request.path("fail").asBoolean(false)) {
        return CompletableFuture.failedFuture(new BackendException(503, "service_unavailable", "no seller available", "no_capacity"));
      }
      ObjectNode resp = JSON.createObjectNode().put("id", "stub-1").put("object", "chat.completion").put("model", "stub");
      resp.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant").put("content", "from stub");
      return CompletableFuture.completedFuture(resp);
    }

    @Override
    public CompletableFuture<Publisher<ObjectNode>> streamChatCompletion(ObjectNode request, RequestContext ctx) {
      contexts.add(ctx);
      ObjectNode c1 = chunk("part one ");
      ObjectNode c2 = chunk("part two");
      StreamMessage<ObjectNode> s = StreamMessage.of(c1, c2);
      if (request.path("fail_mid").asBoolean(false)) {
        s = StreamMessage.concat(StreamMessage.of(c1), StreamMessage.aborted(new BackendException(502, "upstream_error", "seller went away", null)));
      }
      return CompletableFuture.completedFuture(s);
    }

    private static ObjectNode chunk(String text) {
      ObjectNode c = JSON.createObjectNode().put("id", "stub-s").put("object", "chat.completion.chunk").put("model", "stub");
      c.putArray("choices").addObject().put("index", 0).putObject("delta").put("content", text);
      return c;
    }

    @Override
    public CompletableFuture<ObjectNode> models(RequestContext ctx) {
      contexts.add(ctx);
      ObjectNode m = JSON.createObjectNode().put("object", "list");
      m.putArray("data").addObject().put("id", "stub-model").put("object", "model");
      return CompletableFuture.completedFuture(m);
    }

    @Override
    public String serving() {
      return "aggregator";
    }
  }

  @Test
  void stubBackendServesThroughTheBridge() throws Exception {
    StubBackend stub = new StubBackend();
    try (BridgeServer bridge = BridgeServer.builder().backend(stub).serviceKeys(TestKeys.service()).start()) {
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"model\":\"any\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/chat/completions"))
                  .header("Content-Type", "application/json")
                  .header("X-OpenShard-Peer", "0xabc0000000000000000000000000000000000def")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("from stub", JSON.readTree(r.body()).at("/choices/0/message/content").asText());
      RequestContext ctx = stub.contexts.get(0);
      assertEquals("0xabc0000000000000000000000000000000000def", ctx.peerPin().orElseThrow());
      assertEquals(r.headers().firstValue("x-receipt-id").orElseThrow(), ctx.requestId());
      assertEquals(body, stub.requests.get(0).toString(), "the backend gets the request as sent");

      // The receipt's forwarded hash is what the backend reported.
      HttpResponse<String> rr;
      long deadline = System.nanoTime() + 5_000_000_000L;
      do {
        rr = http.send(
            HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/aci/receipts/" + ctx.requestId())).build(),
            HttpResponse.BodyHandlers.ofString());
      } while (rr.statusCode() != 200 && System.nanoTime() < deadline);
      JsonNode receipt = JSON.readTree(rr.body());
      assertEquals("sha256:" + Bytes.hex(Hashes.sha256(body.getBytes(StandardCharsets.UTF_8))), receipt.at("/event_log/1/body_hash").asText());
      assertEquals("stub", receipt.at("/event_log/1/target").asText());

      // Backend errors keep their status, type and code.
      HttpResponse<String> failed = post(http, bridge, "{\"model\":\"m\",\"fail\":true,\"messages\":[]}");
      assertEquals(503, failed.statusCode());
      assertEquals("no_capacity", JSON.readTree(failed.body()).at("/error/code").asText());

      // Streams from a publisher; a mid-stream failure becomes an error event then [DONE].
      HttpResponse<String> s = post(http, bridge, "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
      assertTrue(s.body().contains("part two") && s.body().endsWith("data: [DONE]\n\n"), s.body());
      HttpResponse<String> mid = post(http, bridge, "{\"model\":\"m\",\"stream\":true,\"fail_mid\":true,\"messages\":[]}");
      assertTrue(mid.body().contains("\"seller went away\"") && mid.body().endsWith("data: [DONE]\n\n"), mid.body());

      // Completions are unsupported unless the backend implements them.
      assertEquals(404, post(http, bridge, "/completions", "{\"model\":\"m\",\"prompt\":\"x\"}").statusCode());

      JsonNode att = JSON.readTree(http.send(
          HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/aci/attestation")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("aggregator", att.at("/service_capabilities/serving").asText());
    }
  }

  private static HttpResponse<String> post(HttpClient http, BridgeServer bridge, String body) throws Exception {
    return post(http, bridge, "/chat/completions", body);
  }

  private static HttpResponse<String> post(HttpClient http, BridgeServer bridge, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
