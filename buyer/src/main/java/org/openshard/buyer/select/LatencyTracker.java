package org.openshard.buyer.select;

import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The buyer's own time-to-first-token per seller, as an exponentially weighted moving average:
 * {@code ewma = alpha * sample + (1 - alpha) * ewma}, the first sample taken as is.
 */
public final class LatencyTracker {
  public static final double DEFAULT_ALPHA = 0.2;

  private final double alpha;
  private final ConcurrentHashMap<String, Double> ewmaMs = new ConcurrentHashMap<>();

  public LatencyTracker(double alpha) {
    if (!(alpha > 0.0 && alpha <= 1.0)) {
      throw new IllegalArgumentException("alpha must be in (0, 1]");
    }
    this.alpha = alpha;
  }

  public LatencyTracker() {
    this(DEFAULT_ALPHA);
  }

  public void record(String peerId, double ttftMs) {
    if (!(ttftMs >= 0.0) || Double.isInfinite(ttftMs)) {
      return;
    }
    ewmaMs.merge(peerId, ttftMs, (old, sample) -> alpha * sample + (1.0 - alpha) * old);
  }

  public OptionalDouble ewmaMs(String peerId) {
    Double v = ewmaMs.get(peerId);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  public void forget(String peerId) {
    ewmaMs.remove(peerId);
  }
}
