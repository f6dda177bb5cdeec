package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openshard.testing.ChildProcess;

/** {@code ./openshard demo} as a child JVM: the interactive mode and the smoke mode. */
class DemoCommandTest {
  private static final String PROMPT = "AMBER-OTTER-9051";

  @Test
  void startsTheMarketServesThroughTheBridgeLogsSummariesAndExitsZeroOnSigterm() throws Exception {
    try (ChildProcess p =
        ChildProcess.startJava("org.openshard.cli.Main", List.of("demo", "--listen", "127.0.0.1:0"), Map.of())) {
      p.awaitListening("upstream-echo", "http", 60_000);
      p.awaitListening("registry", "grpc", 60_000);
      p.awaitListening("buyer", "grpc", 60_000);
      ChildProcess.Listener bridge = p.awaitListening("bridge", "http", 60_000);
      assertEquals(3, p.stdout().stream().filter(l -> l.startsWith("LISTENING seller grpc://127.0.0.1:")).count(), p.stdout().toString());
      awaitLine(p, "demo: one line per request follows", 10_000);
      assertTrue(p.stdout().stream().anyMatch(l -> l.contains("curl -s " + bridge.url() + "/v1/chat/completions")), p.stdout().toString());

      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(bridge.url() + "/v1/chat/completions"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\"demo-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains(PROMPT), "the echo answers with the prompt");
      String seller = r.headers().firstValue("X-OpenShard-Seller").orElseThrow();
      String line = awaitLine(p, "demo: request #1: seller ", 10_000);
      assertTrue(line.contains(seller.substring(0, 10)), line + " names " + seller);
      assertTrue(line.matches(".*nullifier [0-9a-f]{12}… accepted, charged [1-9][0-9]*, receipt [0-9a-f]+, attempts 1"), line);
      assertTrue(line.contains("offering demo-budget, price 100000/200000"), "the cheapest seller is chosen: " + line);

      assertEquals(0, p.terminate(60_000));
      for (String l : p.stdout()) {
        assertFalse(l.contains(PROMPT), "prompt on stdout: " + l);
      }
      for (String l : p.stderr()) {
        assertFalse(l.contains(PROMPT), "prompt in the log: " + l);
      }
    }
  }

  @Test
  void smokeModePassesAndExitsZero() throws Exception {
    try (ChildProcess p = ChildProcess.startJava("org.openshard.cli.Main", List.of("demo", "--smoke"), Map.of())) {
      assertTrue(p.process().waitFor(120, TimeUnit.SECONDS), "smoke run finished");
      assertEquals(0, p.process().exitValue(), String.join("\n", p.stdout()) + "\n" + String.join("\n", p.stderr()));
      List<String> out = p.stdout();
      assertTrue(out.stream().anyMatch(l -> l.startsWith("smoke: PASS")), out.toString());
      assertEquals(5, out.stream().filter(l -> l.startsWith("smoke: ok ")).count(), out.toString());
      assertTrue(out.stream().anyMatch(l -> l.startsWith("smoke: ok   status page") && l.contains("1 channels")), out.toString());
      assertEquals(3, out.stream().filter(l -> l.startsWith("demo: request #")).count(), out.toString());
      assertTrue(out.stream().anyMatch(l -> l.contains("decoy buyer anchors, so rings have 8 members")), out.toString());
      assertTrue(p.stderr().stream().noneMatch(l -> l.contains("rings will have 1 members")), String.join("\n", p.stderr()));
    }
  }

  private static String awaitLine(ChildProcess p, String prefix, long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      for (String l : p.stdout()) {
        if (l.startsWith(prefix)) {
          return l;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no line starting with '" + prefix + "' in " + p.stdout());
  }
}
