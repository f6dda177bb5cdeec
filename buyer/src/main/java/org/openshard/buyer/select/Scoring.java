package org.openshard.buyer.select;

/**
 * The ranking formula (documented in docs/architecture.md, "Buyer selection"). All terms are in
 * [0, 1]; higher is better.
 *
 * <pre>
 *   cost          = input_per_million + output_per_million        (of the offering that serves the request)
 *   price_score   = (min_cost + 1) / (cost + 1)                   (1 for the cheapest candidate)
 *   latency       = the buyer's EWMA time-to-first-token for the seller, ms; if it has none yet,
 *                   the seller's reported p50, else the best latency among the candidates
 *                   (so new sellers get tried)
 *   latency_score = (min_latency + 10) / (latency + 10)
 *   utilization   = max(load.in_flight, own in-flight) / load.capacity   (0 if capacity unknown), capped at 1
 *   health_score  = health * (1 - utilization / 2)
 *   score         = 0.40 * price_score + 0.30 * health_score + 0.30 * latency_score
 *   score        *= 0.5 if the seller's circuit breaker is HALF_OPEN (probe it last)
 * </pre>
 */
public final class Scoring {
  public static final double PRICE_WEIGHT = 0.40;
  public static final double HEALTH_WEIGHT = 0.30;
  public static final double LATENCY_WEIGHT = 0.30;
  public static final double LATENCY_SMOOTHING_MS = 10.0;
  public static final double HALF_OPEN_FACTOR = 0.5;

  private Scoring() {}

  public static double priceScore(long cost, long minCost) {
    return (minCost + 1.0) / (cost + 1.0);
  }

  public static double latencyScore(double latencyMs, double minLatencyMs) {
    return (minLatencyMs + LATENCY_SMOOTHING_MS) / (latencyMs + LATENCY_SMOOTHING_MS);
  }

  public static double healthScore(double health, double utilization) {
    double u = Math.max(0.0, Math.min(1.0, utilization));
    return health * (1.0 - u / 2.0);
  }

  public static double score(double priceScore, double healthScore, double latencyScore, boolean halfOpen) {
    double s = PRICE_WEIGHT * priceScore + HEALTH_WEIGHT * healthScore + LATENCY_WEIGHT * latencyScore;
    return halfOpen ? s * HALF_OPEN_FACTOR : s;
  }
}
