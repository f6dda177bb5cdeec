package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.registry.client.RegistryClient;
import picocli.CommandLine;

class RegistryCommandTest {
  @Test
  void runsInAChildJvmAnswersAndExitsZeroOnSigterm() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "org.openshard.cli.Main",
                "registry",
                "--listen",
                "127.0.0.1:0",
                "--metrics",
                "127.0.0.1:0",
                "--heartbeat-interval",
                "2s")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().remove("OPENSHARD_REDIS");
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      List<String> listening = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 60_000;
      while (listening.size() < 2 && System.currentTimeMillis() < deadline) {
        String line = out.readLine();
        assertNotNull(line, "the registry exited before listening");
        if (line.startsWith("LISTENING ")) {
          listening.add(line);
        }
      }
      String grpc = listening.stream().filter(l -> l.startsWith("LISTENING registry grpc://127.0.0.1:")).findFirst().orElseThrow();
      String http = listening.stream().filter(l -> l.startsWith("LISTENING registry http://127.0.0.1:")).findFirst().orElseThrow();
      String target = grpc.substring("LISTENING registry grpc://".length());
      try (RegistryClient client = RegistryClient.connect(target)) {
        DiscoverResponse r = client.discover(DiscoverRequest.newBuilder().setServiceId("llama-3.1-8b").build());
        assertEquals(0, r.getTotalMatches());
      }
      String metricsUrl = http.substring("LISTENING registry ".length()) + "/metrics";
      HttpResponse<String> m =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, m.statusCode());
      assertTrue(m.body().contains("openshard_registry_discover_seconds_count 1"), m.body());

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the registry did not stop on SIGTERM");
      assertEquals(0, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void helpShowsExamplesAndBadOptionsFailFast() {
    StringWriter help = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(help));
    assertEquals(0, cl.execute("registry", "--help"));
    assertTrue(help.toString().contains("--heartbeat-interval"), help.toString());
    assertTrue(help.toString().contains("./openshard registry --redis redis://127.0.0.1:6379"), help.toString());

    CommandLine bad = Main.commandLine();
    bad.setErr(new PrintWriter(new StringWriter()));
    assertEquals(2, bad.execute("registry", "--listen", "nonsense:port"));
    assertEquals(2, bad.execute("registry", "--missed-heartbeats", "0"));
    assertTrue(bad.execute("registry", "--heartbeat-interval", "soon") != 0);
  }

  @Test
  void durationsParse() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofSeconds(10), c.convert("10s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofSeconds(3), c.convert("PT3S"));
  }
}
