package org.openshard.buyer.select;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** One {@link CircuitBreaker} per seller, created on first use with shared settings. */
public final class CircuitBreakers {
  /** Defaults: open after 3 consecutive failures, for 2 s doubling per failed probe up to 60 s. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final long DEFAULT_BASE_OPEN_MS = 2_000;
  public static final long DEFAULT_MAX_OPEN_MS = 60_000;

  private final int failureThreshold;
  private final long baseOpenNanos;
  private final long maxOpenNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public CircuitBreakers(int failureThreshold, long baseOpenMs, long maxOpenMs, LongSupplier nanoClock) {
    this.failureThreshold = failureThreshold;
    this.baseOpenNanos = TimeUnit.MILLISECONDS.toNanos(baseOpenMs);
    this.maxOpenNanos = TimeUnit.MILLISECONDS.toNanos(maxOpenMs);
    this.nanoClock = nanoClock;
  }

  public static CircuitBreakers withDefaults() {
    return new CircuitBreakers(DEFAULT_FAILURE_THRESHOLD, DEFAULT_BASE_OPEN_MS, DEFAULT_MAX_OPEN_MS, System::nanoTime);
  }

  public CircuitBreaker forPeer(String peerId) {
    return breakers.computeIfAbsent(
        peerId, id -> new CircuitBreaker(failureThreshold, baseOpenNanos, maxOpenNanos, nanoClock));
  }

  public void forget(String peerId) {
    breakers.remove(peerId);
  }
}
