package org.openshard.registry.ranking;

import org.openshard.proto.v1.LoadReport;

/**
 * The health score, 0.0 .. 1.0 (docs/protocol.md, "Health"):
 *
 * <pre>
 * health     = errors * saturation * freshness
 * errors     = 1 - confidence * error_rate,   confidence = min(1, recent_requests / 20)
 * saturation = 1                              if capacity = 0 (unknown) or u &lt;= 0.9
 *            = 1 - 5 * (u - 0.9)              otherwise (0.5 at u = 1),  u = min(1, in_flight / capacity)
 * freshness  = 1                              if age &lt;= interval
 *            = 1 - 0.5 * min(1, (age - interval) / (window - interval))   otherwise
 * </pre>
 *
 * where {@code age} is the time since the last heartbeat (or registration) and {@code window} the
 * liveness window (interval × missed heartbeats). The load report has been sanitized by {@link
 * LoadSanitizer}.
 */
public final class HealthScore {
  /** Requests in the window at which error_rate counts fully. */
  static final double CONFIDENT_SAMPLE = 20.0;

  private HealthScore() {}

  public static double of(LoadReport load, long lastHeartbeatMs, long nowMs, long intervalMs, long windowMs) {
    return errors(load) * saturation(load) * freshness(lastHeartbeatMs, nowMs, intervalMs, windowMs);
  }

  static double errors(LoadReport load) {
    double confidence = Math.min(1.0, Integer.toUnsignedLong(load.getRecentRequests()) / CONFIDENT_SAMPLE);
    return 1.0 - confidence * load.getErrorRate();
  }

  static double saturation(LoadReport load) {
    double u = utilization(load);
    if (Double.isNaN(u) || u <= 0.9) {
      return 1.0;
    }
    return 1.0 - 5.0 * (u - 0.9);
  }

  static double freshness(long lastHeartbeatMs, long nowMs, long intervalMs, long windowMs) {
    long age = Math.max(0, nowMs - lastHeartbeatMs);
    if (age <= intervalMs) {
      return 1.0;
    }
    double span = Math.max(1, windowMs - intervalMs);
    return 1.0 - 0.5 * Math.min(1.0, (age - intervalMs) / span);
  }

  /** in_flight / capacity capped at 1, or NaN if capacity is unknown (0). */
  public static double utilization(LoadReport load) {
    long capacity = Integer.toUnsignedLong(load.getCapacity());
    if (capacity == 0) {
      return Double.NaN;
    }
    return Math.min(1.0, Integer.toUnsignedLong(load.getInFlight()) / (double) capacity);
  }
}
