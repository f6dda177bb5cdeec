package org.openshard.seller.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.openshard.seller.pipeline.RequestObserver;
import org.openshard.seller.pipeline.RequestRecord;

/**
 * The seller's Prometheus metrics (served by runtime.MetricsServer under {@code --metrics}):
 *
 * <ul>
 *   <li>{@code openshard_seller_requests_total{outcome}}: requests by outcome ({@code ok} or the
 *       lowercase error code);
 *   <li>{@code openshard_seller_proof_verify_seconds}: proof verification time;
 *   <li>{@code openshard_seller_time_to_first_token_seconds}: envelope arrival to first chunk;
 *   <li>{@code openshard_seller_upstream_seconds}: upstream request duration;
 *   <li>{@code openshard_seller_tokens_total{kind}}: prompt, completion and cached tokens;
 *   <li>{@code openshard_seller_amount_charged_total}: base units charged;
 *   <li>{@code openshard_seller_in_flight}: requests being served now.
 * </ul>
 */
public final class SellerMetrics implements RequestObserver {
  private static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
  };

  private final Counter requests;
  private final Histogram proofVerify;
  private final Histogram ttft;
  private final Histogram upstream;
  private final Counter tokens;
  private final Counter amount;

  public SellerMetrics(PrometheusRegistry registry, IntSupplier inFlight) {
    requests =
        Counter.builder().name("openshard_seller_requests_total").help("Infer requests by outcome.")
            .labelNames("outcome").register(registry);
    proofVerify =
        Histogram.builder().name("openshard_seller_proof_verify_seconds").help("Time to verify an envelope's proof.")
            .unit(Unit.SECONDS).classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    ttft =
        Histogram.builder().name("openshard_seller_time_to_first_token_seconds")
            .help("Time from the envelope's arrival to the first encrypted chunk.")
            .unit(Unit.SECONDS).classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    upstream =
        Histogram.builder().name("openshard_seller_upstream_seconds").help("Duration of upstream requests.")
            .unit(Unit.SECONDS).classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
    tokens =
        Counter.builder().name("openshard_seller_tokens_total").help("Tokens served, by kind (prompt, completion, cached).")
            .labelNames("kind").register(registry);
    amount =
        Counter.builder().name("openshard_seller_amount_charged_total").help("USDC base units charged.").register(registry);
    GaugeWithCallback.builder().name("openshard_seller_in_flight").help("Requests being served now.")
        .callback(cb -> cb.call(inFlight.getAsInt())).register(registry);
    for (String kind : new String[] {"prompt", "completion", "cached"}) {
      tokens.labelValues(kind);
    }
  }

  @Override
  public void proofVerified(Duration elapsed) {
    proofVerify.observe(seconds(elapsed));
  }

  @Override
  public void finished(RequestRecord r) {
    requests.labelValues(r.outcome()).inc();
    if (r.timeToFirstToken() != null) {
      ttft.observe(seconds(r.timeToFirstToken()));
    }
    if (r.upstream() != null) {
      upstream.observe(seconds(r.upstream()));
    }
    tokens.labelValues("prompt").inc(r.usage().getPromptTokens());
    tokens.labelValues("completion").inc(r.usage().getCompletionTokens());
    tokens.labelValues("cached").inc(r.usage().getCachedPromptTokens());
    if (r.amount() > 0) {
      amount.inc(r.amount());
    }
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
