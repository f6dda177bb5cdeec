package org.openshard.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description =
        "Runs the registry, the discovery control plane: sellers register and heartbeat, buyers"
            + " discover and watch them. Prints 'LISTENING registry grpc://HOST:PORT' (and"
            + " 'LISTENING registry http://HOST:PORT' for --metrics) when ready; exits 0 on SIGTERM.",
    footer = {
      "",
      "Examples:",
      "  ./openshard registry",
      "  ./openshard registry --listen 127.0.0.1:0 --heartbeat-interval 2s --missed-heartbeats 3",
      "  ./openshard registry --redis redis://127.0.0.1:6379 --metrics 127.0.0.1:9400",
      "",
      "Several replicas started with the same --redis serve one index.",
    })
final class RegistryCommand implements Callable<Integer> {
  @Option(
      names = "--listen",
      description = "gRPC address HOST:PORT (port 0 = any free port; default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:7400")
  String listen;

  @Option(
      names = "--redis",
      description = "Share the index through Redis, redis://[:PASSWORD@]HOST:PORT[/DB] (default: in memory).")
  String redis;

  @Mixin MetricsOption metrics = new MetricsOption();

  @Option(
      names = "--heartbeat-interval",
      description = "How often sellers must ping (default: ${DEFAULT-VALUE}).",
      defaultValue = "10s",
      converter = DurationConverter.class)
  Duration heartbeatInterval;

  @Option(
      names = "--missed-heartbeats",
      description = "Intervals without a ping before a seller expires (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  int missedHeartbeats;

  @Option(
      names = "--max-clock-skew",
      description = "Accepted difference between signed timestamps and this clock (default: ${DEFAULT-VALUE}).",
      defaultValue = "60s",
      converter = DurationConverter.class)
  Duration maxClockSkew;

  @Override
  public Integer call() throws Exception {
    ListenAddress grpcAddress;
    ListenAddress metricsAddress = null;
    RegistryConfig config;
    try {
      grpcAddress = ListenAddress.parse(listen);
      metricsAddress = metrics.address();
      config =
          RegistryConfig.builder()
              .heartbeatInterval(heartbeatInterval)
              .missedHeartbeats(missedHeartbeats)
              .maxClockSkew(maxClockSkew)
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("openshard registry: " + e.getMessage());
      return 2;
    }
    if (!grpcAddress.isLoopback()) {
      System.err.println("openshard registry: listening on non-loopback address " + grpcAddress + " (plaintext gRPC)");
    }
    Shutdown shutdown = Shutdown.install();
    RegistryServer.Builder b =
        RegistryServer.builder().listen(grpcAddress).config(config).announce(true);
    if (metricsAddress != null) {
      b.metrics(metricsAddress);
    }
    if (redis != null && !redis.isBlank()) {
      b.redis(redis);
    }
    RegistryServer server;
    try {
      server = b.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("openshard registry: cannot start: " + e.getMessage());
      return 1;
    }
    shutdown.onStop(server::close);
    shutdown.awaitAndExit();
    return 0;
  }
}
