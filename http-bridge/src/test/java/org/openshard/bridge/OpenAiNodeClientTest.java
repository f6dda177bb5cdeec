package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openshard.bridge.backend.GatewayBackend;

/**
 * Client checks written outside Java, run as child processes against a real bridge on a loopback
 * port — once in front of the echo upstream, once in front of a (fake) buyer gateway:
 *
 * <ul>
 *   <li>{@code src/test/node/bridge-smoke.mjs} with the official {@code openai} npm client. Needs
 *       {@code node} (20+) and {@code cd http-bridge/src/test/node && npm ci} (.ci/run does it); FAILS
 *       without them unless {@code OPENSHARD_SKIP_NODE_TESTS=1}.
 *   <li>{@code src/test/python/e2ee_interop_check.py}, E2EE with pyca/cryptography. Needs {@code
 *       python3} with {@code cryptography} (Debian: {@code apt-get install python3-cryptography}; .ci/run
 *       does it); FAILS without them unless {@code OPENSHARD_SKIP_PYTHON_TESTS=1}.
 * </ul>
 */
class OpenAiNodeClientTest {
  /** The Python interpreter for the interop script: OPENSHARD_PYTHON, else python3 on PATH. */
  private static final String PYTHON =
      System.getenv().getOrDefault("OPENSHARD_PYTHON", "python3");

  private static final long TIMEOUT_SECONDS = 120;
  private static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Path NODE_DIR = MODULE.resolve("src/test/node");
  private static final Path PY_SCRIPT = MODULE.resolve("src/test/python/e2ee_interop_check.py");

  /** What a child process printed and how it ended. */
  record Run(int exit, String output) {}

  @ParameterizedTest(name = "openai npm client through the bridge ({0} backend)")
  @ValueSource(strings = {"upstream", "gateway"})
  void officialOpenAiNodeClient(String backend) throws Exception {
    requireNode();
    try (Running r = Running.start(backend)) {
      Run run = exec(List.of("node", "bridge-smoke.mjs"), NODE_DIR, r.fixture.bridge.baseUrl());
      assertEquals(0, run.exit(), "node bridge-smoke.mjs failed:\n" + run.output());
      assertTrue(run.output().contains("ALL PASSED"), run.output());
      for (String check : List.of("PASS non-streaming answer", "PASS streaming answer", "PASS streaming usage chunk",
          "PASS receipt id header", "PASS error case")) {
        assertTrue(run.output().contains(check), check + " missing:\n" + run.output());
      }
    }
  }

  @ParameterizedTest(name = "pyca/cryptography E2EE interop through the bridge ({0} backend)")
  @ValueSource(strings = {"upstream", "gateway"})
  void independentPythonE2eeInterop(String backend) throws Exception {
    requirePython();
    try (Running r = Running.start(backend)) {
      Run run = exec(List.of(PYTHON, PY_SCRIPT.toString()), MODULE, r.fixture.bridge.baseUrl());
      assertEquals(0, run.exit(), "e2ee_interop_check.py failed:\n" + run.output());
      assertTrue(run.output().contains("ALL PASSED"), run.output());
      for (String check : List.of("PASS ACI x25519-aes-256-gcm-hkdf-sha256", "PASS ACI secp256k1-aes-256-gcm-hkdf-sha256",
          "PASS legacy ecdsa v2", "PASS legacy ed25519 v2")) {
        assertTrue(run.output().contains(check), check + " missing:\n" + run.output());
      }
    }
  }

  /** A bridge on a loopback port in front of the echo upstream or a fake buyer gateway. */
  static final class Running implements AutoCloseable {
    final BridgeFixture fixture;
    final FakeGateway gateway;

    private Running(BridgeFixture fixture, FakeGateway gateway) {
      this.fixture = fixture;
      this.gateway = gateway;
    }

    static Running start(String backend) throws IOException {
      if (backend.equals("upstream")) {
        return new Running(BridgeFixture.start(), null);
      }
      FakeGateway gw = new FakeGateway();
      return new Running(BridgeFixture.on(GatewayBackend.connect(gw.target()).build()), gw);
    }

    @Override
    public void close() {
      fixture.close();
      if (gateway != null) {
        gateway.close();
      }
    }
  }

  private static void requireNode() {
    String setup = "run 'cd http-bridge/src/test/node && npm ci' (Node 20+; .ci/run does it)";
    String problem = null;
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/openai"))) {
      problem = "the openai npm package is not installed in " + NODE_DIR + ": " + setup;
    } else if (!works(List.of("node", "--version"))) {
      problem = "node is not on PATH: install Node 20+ and " + setup;
    }
    if (problem != null) {
      if ("1".equals(System.getenv("OPENSHARD_SKIP_NODE_TESTS"))) {
        Assumptions.abort(problem + " (skipped: OPENSHARD_SKIP_NODE_TESTS=1)");
      }
      fail(problem + " — or set OPENSHARD_SKIP_NODE_TESTS=1 to skip");
    }
  }

  private static void requirePython() {
    if (!works(List.of(PYTHON, "-c", "import cryptography"))) {
      String problem =
          PYTHON + " with the cryptography package is needed (set OPENSHARD_PYTHON to choose the interpreter): 'apt-get install python3-cryptography' (.ci/run does it)";
      if ("1".equals(System.getenv("OPENSHARD_SKIP_PYTHON_TESTS"))) {
        Assumptions.abort(problem + " (skipped: OPENSHARD_SKIP_PYTHON_TESTS=1)");
      }
      fail(problem + " — or set OPENSHARD_SKIP_PYTHON_TESTS=1 to skip");
    }
  }

  private static boolean works(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code cmd} in {@code dir} with the bridge's URL in the environment; stdout and stderr merged. */
  private static Run exec(List<String> cmd, Path dir, String bridgeUrl) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("OPENSHARD_BRIDGE_URL", bridgeUrl);
    env.remove("OPENSHARD_BRIDGE_API_KEY");
    env.remove("OPENSHARD_BRIDGE_MODEL");
    env.remove("OPENSHARD_EXPECT_ECHO");
    env.put("NO_PROXY", "127.0.0.1,localhost");
    env.put("no_proxy", "127.0.0.1,localhost");
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread pump = new Thread(() -> copy(p.getInputStream(), out), "child-output");
    pump.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      pump.join(5_000);
      fail(String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + out.toString(StandardCharsets.UTF_8));
    }
    pump.join(5_000);
    return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended
    }
  }
}
