package org.openshard.buyer.dispatch;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/** Prometheus metrics of the buyer (no prompts, no peer-identifying labels beyond outcome codes). */
public final class BuyerMetrics {
  private final Counter requests;
  private final Counter attempts;
  private final Histogram ttft;

  public BuyerMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("openshard_buyer_requests_total")
            .help("Chat completions by outcome (ok or the error code).")
            .labelNames("outcome")
            .register(registry);
    attempts =
        Counter.builder()
            .name("openshard_buyer_attempts_total")
            .help("Seller attempts by result (ok or the error code).")
            .labelNames("result")
            .register(registry);
    ttft =
        Histogram.builder()
            .name("openshard_buyer_time_to_first_token_seconds")
            .help("Time from sending the envelope to the first decrypted chunk.")
            .unit(Unit.SECONDS)
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
  }

  /** Metrics that go nowhere. */
  public static BuyerMetrics noop() {
    return new BuyerMetrics(new PrometheusRegistry());
  }

  void request(String outcome) {
    requests.labelValues(outcome).inc();
  }

  void attempt(String result) {
    attempts.labelValues(result).inc();
  }

  void ttftSeconds(double s) {
    ttft.observe(s);
  }
}
