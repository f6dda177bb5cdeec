package org.openshard.registry.ranking;

import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Pricing;

/**
 * The Discover ranking score, 0.0 .. 1.0, higher is better (docs/protocol.md, "Ranking"):
 *
 * <pre>
 * score   = 0.35 * price + 0.30 * health + 0.20 * load + 0.15 * latency
 * price   = 10^6 / (10^6 + input_per_million + output_per_million)   (of the matching offering)
 * load    = 1 - in_flight / capacity (capped at 1),  0.5 if capacity is unknown (0)
 * latency = 500 / (500 + latency_p50_ms),            0.5 if unknown (0)
 * </pre>
 *
 * Every term depends only on the peer's own data, so a peer's score does not change when other
 * peers come or go. Ties are broken by peer id, ascending.
 */
public final class Scorer {
  static final double W_PRICE = 0.35;
  static final double W_HEALTH = 0.30;
  static final double W_LOAD = 0.20;
  static final double W_LATENCY = 0.15;
  /** 1 USDC (10^6 base units) per million tokens: the price that scores 0.5. */
  static final double PRICE_REF = 1_000_000.0;
  /** The p50 time to first token that scores 0.5. */
  static final double LATENCY_REF_MS = 500.0;

  private Scorer() {}

  public static double score(Pricing pricing, double health, LoadReport load) {
    return W_PRICE * priceTerm(pricing) + W_HEALTH * health + W_LOAD * loadTerm(load) + W_LATENCY * latencyTerm(load);
  }

  static double priceTerm(Pricing p) {
    double total = (double) p.getInputPerMillion() + (double) p.getOutputPerMillion();
    return PRICE_REF / (PRICE_REF + total);
  }

  static double loadTerm(LoadReport load) {
    double u = HealthScore.utilization(load);
    return Double.isNaN(u) ? 0.5 : 1.0 - u;
  }

  static double latencyTerm(LoadReport load) {
    long p50 = Integer.toUnsignedLong(load.getLatencyP50Ms());
    return p50 == 0 ? 0.5 : LATENCY_REF_MS / (LATENCY_REF_MS + p50);
  }
}
