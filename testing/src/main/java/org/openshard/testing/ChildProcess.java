package org.openshard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command run in a child JVM with the test's own classpath, for tests of the command-line
 * contract: wait for {@code LISTENING <role> <scheme>://<host>:<port>} lines, send SIGTERM, check
 * the exit code. stdout lines are kept; stderr is kept too (for log-privacy assertions).
 */
public final class ChildProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("^LISTENING (\\S+) (\\w+)://(.+):(\\d+)$");

  private final Process process;
  private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

  private ChildProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), stdout, stdoutLines, "stdout");
    pump(process.getErrorStream(), stderr, null, "stderr");
  }

  /** Starts {@code java -cp <test classpath> mainClass args...}. */
  public static ChildProcess startJava(String mainClass, List<String> args, Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    return new ChildProcess(pb.start());
  }

  /** A listener announced by the child. */
  public static final class Listener {
    public final String role;
    public final String scheme;
    public final String host;
    public final int port;

    Listener(String role, String scheme, String host, int port) {
      this.role = role;
      this.scheme = scheme;
      this.host = host;
      this.port = port;
    }

    /** {@code host:port} (IPv6 hosts keep their brackets). */
    public String target() {
      return host + ":" + port;
    }

    public String url() {
      return scheme + "://" + host + ":" + port;
    }
  }

  /** Waits for the next LISTENING line with the given role and scheme (other lines are skipped). */
  public Listener awaitListening(String role, String scheme, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no 'LISTENING " + role + " " + scheme + "://…' line within " + timeoutMillis
            + " ms; stdout=" + stdout + " stderr=" + tail(stderr));
      }
      String line = stdoutLines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        continue;
      }
      Matcher m = LISTENING.matcher(line);
      if (m.matches() && m.group(1).equals(role) && m.group(2).equals(scheme)) {
        return new Listener(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)));
      }
    }
  }

  /**
   * Stops any child process: SIGTERM, then SIGKILL if it has not exited within {@code
   * timeoutMillis} (or if this thread is interrupted while waiting).
   */
  public static void stop(Process process, long timeoutMillis) {
    process.destroy();
    try {
      if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Sends SIGTERM and waits for the exit code. */
  public int terminate(long timeoutMillis) throws InterruptedException {
    process.destroy(); // SIGTERM on POSIX
    if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not exit within " + timeoutMillis + " ms of SIGTERM");
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static void pump(java.io.InputStream in, List<String> sink, BlockingQueue<String> queue, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.add(line);
                  if (queue != null) {
                    queue.add(line);
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "child-" + name);
    t.setDaemon(true);
    t.start();
  }

  private static String tail(List<String> lines) {
    synchronized (lines) {
      int from = Math.max(0, lines.size() - 20);
      return String.join("\n", lines.subList(from, lines.size()));
    }
  }
}
