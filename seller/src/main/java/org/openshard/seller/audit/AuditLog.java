package org.openshard.seller.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;
import org.openshard.seller.pipeline.RequestObserver;
import org.openshard.seller.pipeline.RequestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON line per request, built only from a {@link RequestRecord} — time,
 * nullifier hash, offering, outcome, tokens, amount and durations. It never sees (so can never
 * contain) prompts or completions.
 *
 * <pre>{"time":"2025-01-01T00:00:00.123Z","nullifier_hash":"…","offering":"llama","outcome":"ok",
 *  "tokens":{"prompt":9,"completion":3,"cached":2},"amount":0,
 *  "durations_ms":{"proof_verify":4.1,"ttft":35.2,"upstream":120.9,"total":131.0}}</pre>
 */
public final class AuditLog implements RequestObserver, AutoCloseable {
  /** The logger name used when no audit file is configured. */
  public static final String LOGGER = "openshard.audit";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Consumer<String> sink;
  private final java.io.Closeable resource;
  private final java.util.function.BooleanSupplier enabled;

  private AuditLog(Consumer<String> sink, java.io.Closeable resource) {
    this(sink, resource, () -> true);
  }

  private AuditLog(Consumer<String> sink, java.io.Closeable resource, java.util.function.BooleanSupplier enabled) {
    this.sink = sink;
    this.resource = resource;
    this.enabled = enabled;
  }

  /** Lines go to the {@value #LOGGER} logger at INFO (stderr in the CLI's logging setup). */
  public static AuditLog toLogger() {
    Logger log = LoggerFactory.getLogger(LOGGER);
    // The line is not even built when the logger drops INFO (e.g. benchmarks, quiet setups).
    return new AuditLog(log::info, null, log::isInfoEnabled);
  }

  /** Lines are appended to {@code file} (created with mode 0640 if absent), flushed per line. */
  public static AuditLog toFile(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: keep the default mode.
    }
    Object lock = new Object();
    return new AuditLog(
        line -> {
          synchronized (lock) {
            try {
              out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
              out.flush();
            } catch (IOException e) {
              LoggerFactory.getLogger(AuditLog.class).error("cannot write the audit log {}: {}", file, e.getMessage());
            }
          }
        },
        out);
  }

  /** Lines go to {@code sink} (tests). */
  public static AuditLog to(Consumer<String> sink) {
    return new AuditLog(sink, null);
  }

  @Override
  public void finished(RequestRecord r) {
    if (enabled.getAsBoolean()) {
      sink.accept(line(r));
    }
  }

  /** The JSON line for a record. */
  public static String line(RequestRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", r.startedAt().toString());
    o.put("nullifier_hash", r.nullifierHash());
    o.put("offering", r.offeringId());
    o.put("outcome", r.outcome());
    ObjectNode t = o.putObject("tokens");
    t.put("prompt", r.usage().getPromptTokens());
    t.put("completion", r.usage().getCompletionTokens());
    t.put("cached", r.usage().getCachedPromptTokens());
    o.put("amount", r.amount());
    ObjectNode d = o.putObject("durations_ms");
    putMillis(d, "proof_verify", r.proofVerify());
    putMillis(d, "ttft", r.timeToFirstToken());
    putMillis(d, "upstream", r.upstream());
    putMillis(d, "total", r.total());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putMillis(ObjectNode d, String name, Duration v) {
    if (v == null) {
      d.putNull(name);
    } else {
      d.put(name, Math.round(v.toNanos() / 1e4) / 100.0);
    }
  }

  @Override
  public void close() {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(AuditLog.class).warn("closing the audit log failed: {}", e.toString());
      }
    }
  }
}
