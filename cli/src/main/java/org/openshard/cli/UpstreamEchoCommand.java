package org.openshard.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.openshard.echo.EchoServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "upstream-echo",
    mixinStandardHelpOptions = true,
    description =
        "Runs an OpenAI-compatible echo server (HTTP/1.1 and h2c): chat completions answer the last user"
            + " message word by word, completions echo the prompt. For tests, demos and benchmarks.",
    footer = {
      "",
      "Per-request knobs (headers): X-Echo-Token-Delay-Ms, X-Echo-Fail-Status, X-Echo-Fail-After-Tokens,",
      "X-Echo-Reasoning. Counters (cancelled streams, ...): GET /debug/stats.",
      "",
      "Example:",
      "  ./openshard upstream-echo --listen 127.0.0.1:8000",
    })
final class UpstreamEchoCommand implements Callable<Integer> {
  @Option(names = "--listen", description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:8000")
  String listen;

  @Option(names = "--token-delay-ms", description = "Delay before each streamed word, ms (default: ${DEFAULT-VALUE}).", defaultValue = "0")
  long tokenDelayMs;

  @Option(names = "--fail-status", description = "Answer every POST with this HTTP status (0 = never; default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int failStatus;

  @Option(names = "--models", split = ",", description = "Model ids listed by GET /v1/models (default: ${DEFAULT-VALUE}).", defaultValue = "echo")
  List<String> models;

  @Override
  public Integer call() throws Exception {
    ListenAddress address;
    EchoServer.Builder b;
    try {
      address = ListenAddress.parse(listen);
      b = EchoServer.builder()
          .listen(address)
          .tokenDelay(Duration.ofMillis(tokenDelayMs))
          .failStatus(failStatus)
          .models(models)
          .announce(true);
    } catch (IllegalArgumentException e) {
      System.err.println("openshard upstream-echo: " + e.getMessage());
      return 2;
    }
    Shutdown shutdown = Shutdown.install();
    EchoServer server = b.start();
    shutdown.onStop(server::close);
    shutdown.awaitAndExit();
    return 0;
  }
}
