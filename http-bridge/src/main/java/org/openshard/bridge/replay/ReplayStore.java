package org.openshard.bridge.replay;

import java.time.Duration;

/**
 * Remembers replay tuples for a window. Replicas that share E2EE keys must share one store (use
 * {@link RedisReplayStore}).
 */
public interface ReplayStore extends AutoCloseable {
  /**
   * Atomically claims {@code key} for {@code ttl}.
   *
   * @return true if this call claimed it; false if it was already claimed and has not expired
   * @throws ReplayStoreUnavailableException if the state cannot be read or written (callers fail
   *     closed)
   */
  boolean claim(ReplayKey key, Duration ttl) throws ReplayStoreUnavailableException;

  @Override
  default void close() {}
}
