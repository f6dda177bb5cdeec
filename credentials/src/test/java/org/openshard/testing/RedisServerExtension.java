package org.openshard.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for tests. Register as a static field:
 *
 * <pre>
 * &#64;RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
 * </pre>
 *
 * <ul>
 *   <li>If {@code OPENSHARD_TEST_REDIS} is set (e.g. {@code redis://127.0.0.1:6379}) that server is
 *       used; tests isolate themselves with {@link #keyPrefix()}.
 *   <li>Otherwise a private {@code redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly
 *       no} is started before the class and stopped after it.
 *   <li>If {@code redis-server} is not on PATH the tests FAIL, unless {@code
 *       OPENSHARD_SKIP_REDIS_TESTS=1}, which skips them.
 * </ul>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  public static final String ENV_URI = "OPENSHARD_TEST_REDIS";
  public static final String ENV_SKIP = "OPENSHARD_SKIP_REDIS_TESTS";

  private URI uri;
  private Process process;
  private Path logFile;
  private final String keyPrefix = "openshard-test:" + UUID.randomUUID() + ":";

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String configured = System.getenv(ENV_URI);
    if (configured != null && !configured.isBlank()) {
      uri = URI.create(configured.trim());
      return;
    }
    Path binary = findOnPath("redis-server");
    if (binary == null) {
      if ("1".equals(System.getenv(ENV_SKIP))) {
        Assumptions.abort("redis-server is not on PATH and " + ENV_SKIP + "=1");
      }
      Assertions.fail(
          "redis-server is not on PATH: install it (apt-get install -y redis-server), set "
              + ENV_URI + "=redis://host:port, or set " + ENV_SKIP + "=1 to skip the Redis tests");
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        start(binary, port);
        uri = URI.create("redis://127.0.0.1:" + port);
        return;
      } catch (IOException e) {
        last = e;
        stop();
      }
    }
    throw last;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Where the server listens, e.g. {@code redis://127.0.0.1:40123}. */
  public URI uri() {
    return uri;
  }

  /** A prefix unique to this extension instance, for keys on a shared server. */
  public String keyPrefix() {
    return keyPrefix;
  }

  private void start(Path binary, int port) throws IOException, InterruptedException {
    logFile = Files.createTempFile("redis-test-", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(logFile.toFile());
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + "; log: " + Files.readString(logFile));
      }
      if (ping(port)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IOException("redis-server did not answer PING on port " + port + " within 10 s");
  }

  private void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (logFile != null) {
      try {
        Files.deleteIfExists(logFile);
      } catch (IOException e) {
        // ignore
      }
      logFile = null;
    }
  }

  private static boolean ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
