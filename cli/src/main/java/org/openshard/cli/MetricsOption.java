package org.openshard.cli;

import org.openshard.runtime.ListenAddress;
import picocli.CommandLine.Option;

/** {@code --metrics HOST:PORT}, shared by the commands that can serve Prometheus metrics. */
final class MetricsOption {
  @Option(names = "--metrics", description = "Serve Prometheus metrics at http://HOST:PORT/metrics.")
  String metrics;

  /**
   * The metrics address, or null when {@code --metrics} is absent or blank.
   *
   * @throws IllegalArgumentException if it is not {@code HOST:PORT}
   */
  ListenAddress address() {
    return metrics == null || metrics.isBlank() ? null : ListenAddress.parse(metrics);
  }
}
