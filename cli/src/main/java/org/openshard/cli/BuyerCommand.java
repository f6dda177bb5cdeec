package org.openshard.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.BuyerNode;
import org.openshard.buyer.BuyerOptions;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "buyer",
    mixinStandardHelpOptions = true,
    description =
        "Runs the buyer gateway: serves openshard.v1.Gateway (private chat completions, ListModels) over gRPC,"
            + " discovers sellers through the registry, seals every request in a privacy envelope with a ring"
            + " proof of the buyer credential, and fails over before the first token.",
    footer = {
      "",
      "The credential file holds the buyer's credential secret (not a wallet key). It is created with a",
      "fresh secret and mode 0600 if absent, and its anchor is enrolled at the registry at start.",
      "",
      "Examples:",
      "  ./openshard buyer --listen 127.0.0.1:8443 --registry 127.0.0.1:7000",
      "  ./openshard buyer --listen 127.0.0.1:0 --registry 127.0.0.1:7000 --credential ~/.openshard/buyer.credential \\",
      "      --ring-size 16 --max-output-price 2000000 --metrics 127.0.0.1:9102",
      "",
      "Prints 'LISTENING buyer grpc://HOST:PORT' (and 'LISTENING buyer http://HOST:PORT' for --metrics)",
      "once ready; exits 0 on SIGTERM.",
    })
final class BuyerCommand implements Callable<Integer> {
  @Option(names = "--listen", description = "Gateway gRPC address HOST:PORT (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:0")
  String listen;

  @Option(
      names = "--registry",
      required = true,
      split = ",",
      description = "Registry gRPC target HOST:PORT; repeat or comma-separate for failover.")
  List<String> registries;

  @Option(names = "--credential", description = "Buyer credential file (default: ${DEFAULT-VALUE}).", defaultValue = "buyer.credential")
  Path credential;

  @Option(names = "--ring-size", description = "Anchors per ring proof, capped by the anchor set size (default: ${DEFAULT-VALUE}).", defaultValue = "8")
  int ringSize;

  @Option(names = "--max-input-price", description = "Price ceiling for input tokens, USDC base units per million (0 = none; default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long maxInputPrice;

  @Option(names = "--max-output-price", description = "Price ceiling for output tokens, USDC base units per million (0 = none; default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long maxOutputPrice;

  @Option(names = "--max-attempts", description = "Sellers tried per request before giving up (default: ${DEFAULT-VALUE}).", defaultValue = "3")
  int maxAttempts;

  @Option(names = "--ready-timeout", description = "Seconds to wait for the registry and an anchor set at start (default: ${DEFAULT-VALUE}).", defaultValue = "60")
  int readyTimeoutSeconds;

  @Option(names = "--metrics", description = "Serve Prometheus metrics at http://HOST:PORT/metrics.")
  String metrics;

  @Override
  public Integer call() throws Exception {
    BuyerConfig.Builder cfg;
    try {
      BuyerOptions options =
          BuyerOptions.builder()
              .ringSize(ringSize)
              .maxInputPrice(maxInputPrice)
              .maxOutputPrice(maxOutputPrice)
              .maxAttempts(maxAttempts)
              .build();
      cfg =
          BuyerConfig.builder()
              .listen(ListenAddress.parse(listen))
              .credentialFile(credential)
              .options(options)
              .readyTimeout(java.time.Duration.ofSeconds(readyTimeoutSeconds))
              .announce(true);
      for (String r : registries) {
        cfg.registry(r.trim());
      }
      if (metrics != null && !metrics.isBlank()) {
        cfg.metrics(ListenAddress.parse(metrics));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("openshard buyer: " + e.getMessage());
      return 2;
    }
    Shutdown shutdown = Shutdown.install();
    BuyerNode node;
    try {
      node = BuyerNode.start(cfg.build());
    } catch (BuyerException e) {
      System.err.println("openshard buyer: " + e.code() + ": " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      System.err.println("openshard buyer: " + e.getMessage());
      return 1;
    }
    shutdown.onStop(node::close);
    shutdown.awaitAndExit();
    return 0;
  }
}
