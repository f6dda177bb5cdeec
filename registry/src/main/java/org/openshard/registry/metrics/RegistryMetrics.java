package org.openshard.registry.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.registry.store.PeerCounts;

/**
 * The registry's Prometheus metrics, in a registry-local {@link PrometheusRegistry}:
 *
 * <ul>
 *   <li>{@code openshard_registry_peers{state="live"|"expired"}} — registered peers; "expired" are
 *       past their deadline but not yet pruned
 *   <li>{@code openshard_registry_heartbeats_total} — accepted heartbeat pings (rate() = heartbeats/s)
 *   <li>{@code openshard_registry_registrations_total{result="added"|"updated"}}
 *   <li>{@code openshard_registry_removals_total{reason="deregistered"|"expired"}} — removals this
 *       replica performed
 *   <li>{@code openshard_registry_discover_seconds} — Discover latency histogram
 *   <li>{@code openshard_registry_rejections_total{reason}} — refused requests by ErrorCode name
 *   <li>{@code openshard_registry_watchers} — open Watch streams on this replica
 * </ul>
 */
public final class RegistryMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter heartbeats;
  private final Counter registrations;
  private final Counter removals;
  private final Counter rejections;
  private final Histogram discoverSeconds;

  /**
   * @param peers read at scrape time; may throw (the sample is then skipped)
   * @param watchers read at scrape time
   */
  public RegistryMetrics(Supplier<PeerCounts> peers, IntSupplier watchers) {
    heartbeats =
        Counter.builder().name("openshard_registry_heartbeats_total").help("Accepted heartbeat pings.").register(registry);
    registrations =
        Counter.builder()
            .name("openshard_registry_registrations_total")
            .help("Accepted registrations by result.")
            .labelNames("result")
            .register(registry);
    removals =
        Counter.builder()
            .name("openshard_registry_removals_total")
            .help("Peers this replica removed, by reason.")
            .labelNames("reason")
            .register(registry);
    rejections =
        Counter.builder()
            .name("openshard_registry_rejections_total")
            .help("Refused requests by ErrorCode.")
            .labelNames("reason")
            .register(registry);
    discoverSeconds =
        Histogram.builder()
            .name("openshard_registry_discover_seconds")
            .help("Discover latency.")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
            .register(registry);
    GaugeWithCallback.builder()
        .name("openshard_registry_peers")
        .help("Registered peers by state (expired = past the deadline, not yet pruned).")
        .labelNames("state")
        .callback(
            cb -> {
              PeerCounts c;
              try {
                c = peers.get();
              } catch (RuntimeException e) {
                return;
              }
              cb.call(c.live(), "live");
              cb.call(c.expired(), "expired");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("openshard_registry_watchers")
        .help("Open Watch streams on this replica.")
        .callback(cb -> cb.call(watchers.getAsInt()))
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void heartbeat() {
    heartbeats.inc();
  }

  public void registered(boolean updated) {
    registrations.labelValues(updated ? "updated" : "added").inc();
  }

  public void removed(String reason, long n) {
    if (n > 0) {
      removals.labelValues(reason).inc(n);
    }
  }

  public void rejected(ErrorCode code) {
    rejections.labelValues(code.name()).inc();
  }

  public void discoverNanos(long nanos) {
    discoverSeconds.observe(nanos / 1e9);
  }
}
