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
import picocli.CommandLine.Mixin;
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
      "Payments: without --ledger or --chain-rpc the buyer uses free offerings only (a seller asking for",
      "payment is left for another). With one, it opens a payment channel per seller (deposit",
      "--channel-deposit, funded from --wallet-key), answers PaymentRequired on the same stream with",
      "cumulative vouchers, and keeps channel state in --channels (mode 0600) and receipts beside it.",
      "With --ledger file:PATH a missing --wallet-key file is created and credited with 100 demo USDC:",
      "demo only, the file ledger moves no real money.",
      "  ./openshard buyer --registry 127.0.0.1:7000 --ledger file:/tmp/openshard.ledger \\",
      "      --wallet-key buyer.wallet --channel-deposit 5.00",
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

  @Option(
      names = "--session-requests",
      description = "Requests sent in one resumed session with a seller before a fresh envelope and nullifier; 0 = an envelope per "
          + "request, so the seller cannot link a buyer's requests to each other (protocol section 5a; default: ${DEFAULT-VALUE}).",
      defaultValue = "256")
  int sessionRequests;

  @Option(
      names = "--session-max-age",
      description = "How long after its envelope a session may be resumed (default: ${DEFAULT-VALUE}).",
      defaultValue = "60s",
      converter = DurationConverter.class)
  java.time.Duration sessionMaxAge;

  @Option(names = "--ready-timeout", description = "Seconds to wait for the registry and an anchor set at start (default: ${DEFAULT-VALUE}).", defaultValue = "60")
  int readyTimeoutSeconds;

  @Mixin MetricsOption metrics = new MetricsOption();

  @Mixin LedgerOptions ledgerOptions = new LedgerOptions();

  @Option(names = "--wallet-key", description = "Funding wallet key file (64 hex; default: ${DEFAULT-VALUE}).", defaultValue = "buyer.wallet")
  Path walletKey;

  @Option(names = "--channels", description = "Payment channel state file (default: the credential file + '.channels').")
  Path channels;

  @Option(
      names = "--channel-deposit",
      description = "Deposit of a new channel and of each top-up, USDC decimal (default: ${DEFAULT-VALUE}).",
      defaultValue = "5.00")
  String channelDeposit;

  /** Demo funds credited to a wallet created for the file ledger. */
  static final String DEMO_FUNDS = "100";

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
              .sessionMaxRequests(sessionRequests)
              .sessionMaxAgeMs(sessionMaxAge.toMillis())
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
      ListenAddress metricsAddress = metrics.address();
      if (metricsAddress != null) {
        cfg.metrics(metricsAddress);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("openshard buyer: " + e.getMessage());
      return 2;
    }
    org.openshard.buyer.payments.BuyerPayments payments;
    try {
      payments = openPayments();
    } catch (IllegalArgumentException | java.io.IOException | org.openshard.payments.PaymentException e) {
      System.err.println("openshard buyer: payments: " + e.getMessage());
      return 2;
    }
    if (payments != null) {
      cfg.payments(payments);
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
    shutdown.onStop(
        () -> {
          node.close();
          if (payments != null) {
            payments.close();
          }
        });
    shutdown.awaitAndExit();
    return 0;
  }

  private org.openshard.buyer.payments.BuyerPayments openPayments()
      throws java.io.IOException, org.openshard.payments.PaymentException {
    org.openshard.payments.money.Usdc deposit = org.openshard.payments.money.Usdc.parse(channelDeposit);
    if (deposit.isZero()) {
      throw new IllegalArgumentException("--channel-deposit must be above zero");
    }
    org.openshard.payments.ledger.Ledger ledger = ledgerOptions.open();
    if (ledger == null) {
      return null;
    }
    try {
      org.openshard.payments.ledger.WalletKey wallet;
      if (WalletKeyFile.exists(walletKey)) {
        wallet = WalletKeyFile.read(walletKey);
      } else if (ledger instanceof org.openshard.payments.ledger.SharedFileLedger demo) {
        wallet = WalletKeyFile.create(walletKey);
        demo.mint(wallet.address(), org.openshard.payments.money.Usdc.parse(DEMO_FUNDS));
        System.err.println("openshard buyer: created demo wallet " + wallet.address().hex() + " with " + DEMO_FUNDS
            + " demo USDC on the file ledger (no real money)");
      } else {
        throw new IllegalArgumentException("--wallet-key " + walletKey + " does not exist (needed to fund channels on the chain)");
      }
      org.openshard.payments.channel.BuyerPolicy d = org.openshard.payments.channel.BuyerPolicy.defaults();
      org.openshard.payments.channel.BuyerPolicy policy = new org.openshard.payments.channel.BuyerPolicy(
          deposit, deposit, d.maxDepositPerChannel().max(deposit), d.channelLifetimeSeconds(), d.expiryMarginSeconds(),
          d.maxRoundsPerRequest());
      Path abs = credential.toAbsolutePath();
      Path state = channels != null ? channels : abs.resolveSibling(abs.getFileName() + ".channels");
      return org.openshard.buyer.payments.BuyerPayments.open(ledger, wallet, state, policy, java.time.Clock.systemUTC(), true);
    } catch (java.io.IOException | org.openshard.payments.PaymentException | RuntimeException e) {
      ledger.close();
      throw e;
    }
  }
}
