package org.openshard.echo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counters served at {@code GET /debug/stats}. {@code streams_cancelled} counts streams the client
 * abandoned before the echo finished them (how tests observe that a proxy cancelled its upstream).
 * {@code last_body_sha256} is the hex SHA-256 of the last POST body received, byte for byte.
 */
public final class EchoStats {
  final AtomicLong requests = new AtomicLong();
  final AtomicLong streamsStarted = new AtomicLong();
  final AtomicLong streamsCompleted = new AtomicLong();
  final AtomicLong streamsCancelled = new AtomicLong();
  final AtomicLong streamsFailed = new AtomicLong();
  final AtomicReference<String> lastBodySha256 = new AtomicReference<>("");

  public long requests() {
    return requests.get();
  }

  public long streamsStarted() {
    return streamsStarted.get();
  }

  public long streamsCompleted() {
    return streamsCompleted.get();
  }

  public long streamsCancelled() {
    return streamsCancelled.get();
  }

  public long streamsFailed() {
    return streamsFailed.get();
  }

  public String lastBodySha256() {
    return lastBodySha256.get();
  }

  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("requests", requests.get());
    o.put("streams_started", streamsStarted.get());
    o.put("streams_completed", streamsCompleted.get());
    o.put("streams_cancelled", streamsCancelled.get());
    o.put("streams_failed", streamsFailed.get());
    o.put("last_body_sha256", lastBodySha256.get());
    return o;
  }
}
