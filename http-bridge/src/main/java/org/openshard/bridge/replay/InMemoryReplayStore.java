package org.openshard.bridge.replay;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A replay store for a single process. Bounded: once {@code maxEntries} unexpired tuples are held,
 * further claims fail closed ({@link ReplayStoreUnavailableException}) rather than forget tuples.
 */
public final class InMemoryReplayStore implements ReplayStore {
  private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxEntries;

  public InMemoryReplayStore() {
    this(Clock.systemUTC(), 1_000_000);
  }

  public InMemoryReplayStore(Clock clock, int maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be > 0");
    }
    this.clock = clock;
    this.maxEntries = maxEntries;
  }

  @Override
  public boolean claim(ReplayKey key, Duration ttl) throws ReplayStoreUnavailableException {
    long now = clock.millis();
    if (expiries.size() >= maxEntries) {
      purge(now);
      if (expiries.size() >= maxEntries) {
        throw new ReplayStoreUnavailableException("in-memory replay store is full (" + maxEntries + " tuples)");
      }
    }
    long expiry = now + ttl.toMillis();
    boolean[] claimed = {false};
    expiries.compute(
        key.id(),
        (k, old) -> {
          if (old == null || old <= now) {
            claimed[0] = true;
            return expiry;
          }
          return old;
        });
    return claimed[0];
  }

  /** Number of tuples held (expired ones included until purged). */
  public int size() {
    return expiries.size();
  }

  private void purge(long now) {
    Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue() <= now) {
        it.remove();
      }
    }
  }
}
