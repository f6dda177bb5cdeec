package org.openshard.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.openshard.buyer.BuyerException;
import org.openshard.cli.demo.DemoConfig;
import org.openshard.cli.demo.DemoSeller;
import org.openshard.cli.demo.DemoStack;
import org.openshard.cli.demo.SmokeCheck;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Runs the whole market in this JVM on loopback: a registry, an echo upstream (or --upstream),"
            + " three sellers of one service at different prices, a buyer gateway and the OpenAI-compatible"
            + " HTTP bridge in front of it. Prints the bridge URL, a curl command, and one line per request"
            + " (seller chosen, price, nullifier, amount charged, receipt; never the prompt).",
    footer = {
      "",
      "Examples:",
      "  ./openshard demo",
      "  ./openshard demo --listen 127.0.0.1:0",
      "  ./openshard demo --upstream http://127.0.0.1:11434/v1 --upstream-model llama3.2",
      "  ./openshard demo --smoke        # plain, streaming and E2EE requests with receipt checks; exit 0 or 1",
      "",
      "Prints 'LISTENING <role> <url>' for the registry, upstream-echo, each seller, the buyer and the",
      "bridge; Ctrl-C or SIGTERM stops everything and exits 0.",
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--listen", description = "Bridge HTTP address HOST:PORT (default: ${DEFAULT-VALUE}; --smoke uses any free port).", defaultValue = "127.0.0.1:8080")
  String listen;

  @Option(names = "--buyer-listen", description = "Buyer gateway gRPC address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:0")
  String buyerListen;

  @Option(names = "--registry-listen", description = "Registry gRPC address (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:0")
  String registryListen;

  @Option(names = "--service", description = "Service id the sellers offer, the OpenAI model clients name (default: ${DEFAULT-VALUE}).", defaultValue = DemoConfig.DEFAULT_SERVICE)
  String service;

  @Option(names = "--upstream", paramLabel = "URL", description = "A real OpenAI-compatible base URL instead of the echo upstream (API key from OPENSHARD_UPSTREAM_API_KEY).")
  String upstream;

  @Option(names = "--upstream-model", paramLabel = "NAME", description = "Model the sellers ask the upstream for (default: ${DEFAULT-VALUE}).", defaultValue = "echo")
  String upstreamModel;

  @Option(names = "--smoke", description = "Send a plain, a streaming and an E2EE request, verify answers and receipts, stop; exit 0 if all pass.")
  boolean smoke;

  /** Whether sellers may charge: false until payment negotiation is in this build. */
  static final boolean PAYMENTS_AVAILABLE = true;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    DemoConfig config;
    try {
      if (smoke && upstream != null && !upstream.isBlank()) {
        throw new IllegalArgumentException("--smoke checks the echo upstream's answers; drop --upstream");
      }
      config =
          new DemoConfig(
              service.trim(),
              upstream == null || upstream.isBlank() ? null : upstream.trim(),
              upstreamModel.trim(),
              DemoConfig.threeSellers(),
              PAYMENTS_AVAILABLE,
              ListenAddress.parse(registryListen),
              ListenAddress.parse(buyerListen),
              smoke ? ListenAddress.loopback(0) : ListenAddress.parse(listen));
    } catch (IllegalArgumentException e) {
      System.err.println("openshard demo: " + e.getMessage());
      return 2;
    }
    Shutdown shutdown = smoke ? null : Shutdown.install();
    DemoStack stack;
    try {
      stack = DemoStack.start(config, out);
    } catch (BuyerException e) {
      System.err.println("openshard demo: cannot start the buyer: " + e.code() + ": " + e.getMessage());
      return 1;
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("openshard demo: cannot start: " + e.getMessage());
      return 1;
    }
    if (smoke) {
      boolean ok;
      try {
        ok = new SmokeCheck(stack, out).run();
      } finally {
        stack.close();
      }
      return ok ? 0 : 1;
    }
    printWelcome(out, stack);
    shutdown.onStop(
        () -> {
          out.println("demo: stopping");
          stack.close();
        });
    shutdown.awaitAndExit();
    return 0;
  }

  private static void printWelcome(PrintStream out, DemoStack stack) {
    DemoConfig c = stack.config();
    out.println("demo: ready. " + c.sellers().size() + " sellers offer '" + c.serviceId() + "' via "
        + (c.upstreamUrl() == null ? "the echo upstream (answers with your last message)" : "upstream model " + c.upstreamModel()));
    if (!c.priced()) {
      out.println("demo: offerings run free (list prices shown for reference)");
    } else {
      out.println("demo: sellers are paid through payment channels on an in-process ledger (the buyer's wallet holds 100 test USDC)");
    }
    for (DemoSeller s : c.sellers()) {
      out.println("demo:   " + s.name() + " " + s.peerId() + " offering " + s.offeringId() + ", list price " + s.priceText());
    }
    out.println("demo: registry  grpc://" + stack.registryTarget());
    out.println("demo: buyer     grpc://" + stack.buyerTarget() + "   (openshard.v1.Gateway; see examples/)");
    out.println("demo: bridge    " + stack.bridgeUrl() + "   (OpenAI-compatible)");
    out.println("demo: try:");
    out.println("  curl -s " + stack.bridgeUrl() + "/chat/completions -H 'Content-Type: application/json' \\");
    out.println("    -d '{\"model\":\"" + c.serviceId() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello private market\"}]}'");
    out.println("demo: one line per request follows; Ctrl-C stops everything.");
    out.flush();
  }
}
