package org.openshard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests.
 *
 * <ul>
 *   <li>If {@code OPENSHARD_TEST_REDIS} is set (e.g. {@code redis://127.0.0.1:6379}), that server is
 *       used and never stopped.
 *   <li>Otherwise a private {@code redis-server} process is started on a free loopback port, with no
 *       persistence, and stopped by {@link #close()}.
 * </ul>
 *
 * If neither works the test fails (it is never silently skipped). CI installs redis-server.
 */
public final class RedisServer implements AutoCloseable {
  private final String host;
  private final int port;
  private final Process process;
  private final Path dir;

  private RedisServer(String host, int port, Process process, Path dir) {
    this.host = host;
    this.port = port;
    this.process = process;
    this.dir = dir;
  }

  /** Uses {@code OPENSHARD_TEST_REDIS} or starts a private server. */
  public static RedisServer startOrShared() throws IOException {
    String shared = System.getenv("OPENSHARD_TEST_REDIS");
    if (shared != null && !shared.isBlank()) {
      String hp = shared.replaceFirst("^redis://", "");
      int colon = hp.lastIndexOf(':');
      return new RedisServer(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1).replace("/", "")), null, null);
    }
    return startPrivate();
  }

  /** Always starts a private server (use when a test must kill or restart Redis). */
  public static RedisServer startPrivate() throws IOException {
    int port = Ports.free();
    Path dir = Files.createTempDirectory("openshard-redis");
    List<String> cmd = new ArrayList<>(List.of(
        "redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--protected-mode", "yes"));
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IOException(
          "redis-server is not on PATH: install it (apt-get install -y redis-server) or set OPENSHARD_TEST_REDIS=redis://host:port", e);
    }
    RedisServer rs = new RedisServer("127.0.0.1", port, p, dir);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (rs.ping()) {
        return rs;
      }
      if (!p.isAlive()) {
        break;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    rs.close();
    throw new IOException("redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** {@code redis://host:port}. */
  public String uri() {
    return "redis://" + host + ":" + port;
  }

  /** True if this instance owns the process (and can stop it). */
  public boolean isPrivate() {
    return process != null;
  }

  /** Sends PING over RESP; true on +PONG. */
  public boolean ping() {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[7];
      int n = in.readNBytes(buf, 0, 7);
      return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends FLUSHALL (only for private servers or a dedicated shared test server). */
  public void flushAll() throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.getOutputStream().write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      s.getInputStream().readNBytes(new byte[5], 0, 5);
    }
  }

  /** Stops a private server (no-op for a shared one). */
  @Override
  public void close() {
    if (process != null) {
      ChildProcess.stop(process, 5_000);
    }
  }

}
