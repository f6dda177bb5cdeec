package org.openshard.registry.store.redis;

/**
 * The Redis key layout (docs/protocol.md, "Redis key layout"). All keys share a prefix (default
 * {@code openshard:registry:}):
 *
 * <ul>
 *   <li>{@code peer:<peer id>} — hash: {@code req} (RegisterRequest bytes), {@code tokh}
 *       (SHA-256 of the heartbeat token), {@code load} (LoadReport bytes), {@code hb} (last
 *       heartbeat ms), {@code svcs} (service ids, comma-joined), {@code rmx} / {@code rmd}
 *       (prebuilt REMOVED event payloads)
 *   <li>{@code deadlines} — sorted set: peer id scored by its deadline (ms)
 *   <li>{@code svc:<service id>} — set of peer ids offering the service
 *   <li>{@code ts:<peer id>} — last accepted signed timestamp (ms), expiring after the retention
 *   <li>{@code events} — pub/sub channel of index changes
 * </ul>
 */
public final class RedisKeys {
  private final String prefix;

  public RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public String peer(String peerId) {
    return prefix + "peer:" + peerId;
  }

  public String deadlines() {
    return prefix + "deadlines";
  }

  public String service(String serviceId) {
    return prefix + "svc:" + serviceId;
  }

  public String timestamp(String peerId) {
    return prefix + "ts:" + peerId;
  }

  public String events() {
    return prefix + "events";
  }
}
