package org.openshard.bench.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.openshard.bridge.BridgeServer;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.bridge.e2ee.E2eePrivateKey;
import org.openshard.bridge.e2ee.E2eePublicKey;
import org.openshard.bridge.e2ee.FieldCodec;
import org.openshard.bridge.e2ee.aci.AciAad;
import org.openshard.bridge.e2ee.aci.AciSuite;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.echo.EchoServer;

/**
 * Load harness for the HTTP bridge: requests/s and p50/p99 latency of plain and ACI E2EE chat
 * completions, buffered and streaming, at several concurrencies, against the echo upstream — all
 * in this process, on loopback. Each cell runs for a fixed time (bounded). The E2EE client encrypts
 * each request (fresh nonce) and decrypts the answer, so client crypto shares the CPU with the
 * bridge; latency is to the last byte (the end of the stream for SSE).
 *
 * <pre>
 * mvn -B -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=/tmp/bench-cp.txt
 * java -cp "bench/target/classes:$(cat /tmp/bench-cp.txt)" org.openshard.bench.bridge.BridgeLoadBench [seconds per cell, default 4]
 * </pre>
 */
public final class BridgeLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMPT = "the quick brown fox jumps over the lazy dog again and again";

  private enum Mode {
    PLAIN,
    ACI_X25519,
    ACI_SECP256K1
  }

  private record Scenario(String name, Mode mode, boolean stream) {}

  private record Result(long requests, long errors, double seconds, long[] latenciesNanos) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4.0;
    int[] concurrencies = {1, 16, 64};
    List<Scenario> scenarios =
        List.of(
            new Scenario("plain JSON", Mode.PLAIN, false),
            new Scenario("plain SSE", Mode.PLAIN, true),
            new Scenario("ACI x25519 JSON", Mode.ACI_X25519, false),
            new Scenario("ACI x25519 SSE", Mode.ACI_X25519, true),
            new Scenario("ACI secp256k1 JSON", Mode.ACI_SECP256K1, false),
            new Scenario("ACI secp256k1 SSE", Mode.ACI_SECP256K1, true));
    try (EchoServer echo = EchoServer.builder().start();
        OpenAiUpstreamBackend backend = OpenAiUpstreamBackend.builder(echo.baseUrl()).build();
        BridgeServer bridge = BridgeServer.builder().backend(backend).start()) {
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      JsonNode keyset =
          JSON.readTree(
              http.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/aci/attestation")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
              .at("/attestation/workload_keyset/e2ee_public_keys");
      // Warm-up: every scenario for a while, so the JIT has compiled all paths before anything is measured.
      for (Scenario s : scenarios) {
        run(http, bridge, keyset, s, 16, Math.max(1.0, seconds / 2));
      }
      System.out.println("| scenario | concurrency | requests/s | p50 ms | p99 ms | errors |");
      System.out.println("|---|---:|---:|---:|---:|---:|");
      for (Scenario s : scenarios) {
        for (int c : concurrencies) {
          run(http, bridge, keyset, s, c, Math.min(1.0, seconds / 4)); // settle at this concurrency
          Result r = run(http, bridge, keyset, s, c, seconds);
          long[] l = r.latenciesNanos();
          Arrays.sort(l);
          System.out.printf(
              "| %s | %d | %.0f | %.2f | %.2f | %d |%n",
              s.name(), c, r.requests() / r.seconds(), pct(l, 0.50), pct(l, 0.99), r.errors());
        }
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static Result run(HttpClient http, BridgeServer bridge, JsonNode keyset, Scenario s, int concurrency, double seconds)
      throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong errors = new AtomicLong();
    List<List<Long>> lat = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(concurrency);
    long start = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      List<Long> mine = new ArrayList<>();
      lat.add(mine);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                      ok = oneRequest(http, bridge, keyset, s);
                    } catch (Exception e) {
                      ok = false;
                    }
                    mine.add(System.nanoTime() - t0);
                    if (!ok) {
                      errors.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all = lat.stream().flatMap(List::stream).mapToLong(Long::longValue).toArray();
    return new Result(all.length, errors.get(), elapsed, all);
  }

  private static boolean oneRequest(HttpClient http, BridgeServer bridge, JsonNode keyset, Scenario s) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", "bench");
    if (s.stream()) {
      body.put("stream", true);
    }
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/chat/completions"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json");
    AciSuite suite = null;
    E2eePrivateKey client = null;
    String nonce = null;
    long ts = 0;
    if (s.mode() == Mode.PLAIN) {
      body.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
    } else {
      suite = s.mode() == Mode.ACI_X25519 ? AciSuite.X25519 : AciSuite.SECP256K1;
      String serviceHex = null;
      for (JsonNode k : keyset) {
        if (k.get("algo").asText().equals(suite.algo())) {
          serviceHex = k.get("public_key").asText();
        }
      }
      E2eePublicKey service = E2eePublicKey.decode(suite.curve(), Bytes.fromHex(serviceHex));
      client = E2eePrivateKey.generate(suite.curve());
      nonce = Bytes.hex(SecureRandoms.bytes(32));
      ts = System.currentTimeMillis() / 1000;
      String ct =
          FieldCodec.sealer(service, suite.info())
              .sealText(PROMPT, AciAad.request(suite, "messages.0.content", "bench", nonce, ts));
      body.putArray("messages").addObject().put("role", "user").put("content", ct);
      req.header("X-E2EE-Version", "2")
          .header("X-Client-Pub-Key", client.publicKey().hex())
          .header("X-Model-Pub-Key", serviceHex)
          .header("X-E2EE-Nonce", nonce)
          .header("X-E2EE-Timestamp", Long.toString(ts));
    }
    HttpResponse<String> r =
        http.send(req.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return false;
    }
    StringBuilder text = new StringBuilder();
    if (!s.stream()) {
      JsonNode j = JSON.readTree(r.body());
      String content = j.at("/choices/0/message/content").asText();
      text.append(suite == null ? content : open(client, suite, "choices.0.message.content", j.get("id").asText(), nonce, ts, content));
    } else {
      for (String event : r.body().split("\n\n")) {
        if (!event.startsWith("data: {")) {
          continue;
        }
        JsonNode c = JSON.readTree(event.substring(6));
        JsonNode content = c.at("/choices/0/delta/content");
        if (content.isTextual() && !content.asText().isEmpty()) {
          text.append(
              suite == null
                  ? content.asText()
                  : open(client, suite, "choices.0.delta.content", c.get("id").asText(), nonce, ts, content.asText()));
        }
      }
      if (!r.body().endsWith("data: [DONE]\n\n")) {
        return false;
      }
    }
    return PROMPT.equals(text.toString());
  }

  private static String open(E2eePrivateKey client, AciSuite suite, String field, String id, String nonce, long ts, String ct)
      throws Exception {
    return FieldCodec.openText(client, ct, AciAad.response(suite, field, id, "bench", nonce, ts), suite.info());
  }
}
