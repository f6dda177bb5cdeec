package org.openshard.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.echo.EchoServer;

/**
 * A real BridgeServer on a loopback port in front of a backend — by default a real EchoServer through
 * the OpenAI upstream backend — plus an HTTP client.
 */
final class BridgeFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The echo upstream, or null when the fixture was started on another backend. */
  final EchoServer echo;
  final ChatBackend backend;
  final BridgeServer bridge;
  final HttpClient http;

  private BridgeFixture(EchoServer echo, ChatBackend backend, BridgeServer bridge) {
    this.echo = echo;
    this.backend = backend;
    this.bridge = bridge;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  static BridgeFixture start() {
    return start(b -> {});
  }

  static BridgeFixture start(Consumer<BridgeServer.Builder> customize) {
    EchoServer echo = EchoServer.builder().start();
    OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build();
    return new BridgeFixture(echo, backend, bridge(backend, customize));
  }

  /** A bridge in front of {@code backend}, which the fixture closes. */
  static BridgeFixture on(ChatBackend backend) {
    return new BridgeFixture(null, backend, bridge(backend, b -> {}));
  }

  private static BridgeServer bridge(ChatBackend backend, Consumer<BridgeServer.Builder> customize) {
    BridgeServer.Builder b =
        BridgeServer.builder().backend(backend).serviceKeys(TestKeys.service()).identityKey(TestKeys.identity());
    customize.accept(b);
    return b.start();
  }

  /** A response as the client saw it: status, headers, exact body bytes. */
  record Resp(int status, java.net.http.HttpHeaders headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** error.type of an OpenAI error body. */
    String errorType() {
      return json().path("error").path("type").asText(null);
    }

    /** The data payloads of an SSE body, in order. */
    List<String> sseData() {
      List<String> out = new ArrayList<>();
      for (String event : text().split("\n\n")) {
        if (event.startsWith("data: ")) {
          out.add(event.substring(6));
        }
      }
      return out;
    }
  }

  Resp post(String path, String body, Map<String, String> headers) throws Exception {
    return post(path, body.getBytes(StandardCharsets.UTF_8), "application/json", headers);
  }

  Resp post(String path, byte[] body, String contentType, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    headers.forEach(b::header);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Resp(r.statusCode(), r.headers(), r.body());
  }

  Resp get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(b::header);
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Resp(r.statusCode(), r.headers(), r.body());
  }

  /** Fetches a receipt, waiting briefly: it is stored once the response has fully ended. */
  JsonNode receipt(String id, Map<String, String> headers) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      Resp r = get("/aci/receipts/" + id, headers);
      if (r.status() == 200) {
        return r.json();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("receipt " + id + " not available: " + r.status() + " " + r.text());
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    bridge.close();
    backend.close();
    if (echo != null) {
      echo.close();
    }
  }
}
