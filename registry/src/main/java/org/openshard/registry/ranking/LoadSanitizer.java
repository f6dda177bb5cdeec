package org.openshard.registry.ranking;

import org.openshard.proto.v1.LoadReport;

/**
 * Makes a seller-reported load usable: keeps only the known fields (unknown fields are dropped, so a
 * ping cannot make the registry store arbitrary bytes) and clamps error_rate into 0..1, reading NaN
 * or infinities pessimistically (NaN and +inf as 1, -inf as 0).
 */
public final class LoadSanitizer {
  private LoadSanitizer() {}

  public static LoadReport sanitize(LoadReport in) {
    double e = in.getErrorRate();
    double clamped = Double.isNaN(e) ? 1.0 : Math.max(0.0, Math.min(1.0, e));
    return LoadReport.newBuilder()
        .setInFlight(in.getInFlight())
        .setCapacity(in.getCapacity())
        .setLatencyP50Ms(in.getLatencyP50Ms())
        .setLatencyP99Ms(in.getLatencyP99Ms())
        .setErrorRate(clamped)
        .setRecentRequests(in.getRecentRequests())
        .build();
  }
}
