package org.openshard.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.credentials.replay.RedisReplayCache;
import org.openshard.credentials.replay.ReplayCache;
import org.openshard.credentials.replay.StoreUnavailableException;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.channel.ChannelStore;
import org.openshard.payments.channel.ChannelValidator;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.channel.RedisChannelStore;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.settlement.AutoSettler;
import org.openshard.payments.settlement.SellerSettlement;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import org.openshard.seller.SellerNode;
import org.openshard.seller.keys.SellerKeyFile;
import org.openshard.seller.offering.InvalidOfferingException;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.offering.OfferingFlags;
import org.openshard.seller.offering.Offerings;
import org.openshard.seller.registry.ReplicaChannel;
import org.openshard.seller.upstream.OpenAiUpstream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "seller",
    mixinStandardHelpOptions = true,
    description =
        "Runs a seller: serves private inference (openshard.v1.Seller) for its offerings by proxying"
            + " decrypted requests to an OpenAI-compatible upstream, registers and heartbeats with the"
            + " registries, rotates its encryption key. Prints 'LISTENING seller grpc://HOST:PORT' (and"
            + " 'LISTENING seller http://HOST:PORT' for --metrics) when ready; on SIGTERM drains, deregisters"
            + " and exits 0. The upstream API key, if any, is read from OPENSHARD_UPSTREAM_API_KEY.",
    footer = {
      "",
      "Examples:",
      "  ./openshard keys --out seller.key",
      "  ./openshard seller --key seller.key --registry 127.0.0.1:7400 --upstream http://127.0.0.1:8000/v1 \\",
      "      --offering id=llama,service=llama-3.1-8b,model=meta-llama/Llama-3.1-8B-Instruct",
      "  ./openshard seller --key seller.key --registry 127.0.0.1:7400 --upstream http://127.0.0.1:11434/v1 \\",
      "      --offerings offerings.json --metrics 127.0.0.1:9101 --replay-store redis://127.0.0.1:6379 \\",
      "      --max-concurrency 16 --key-rotation 30m --audit-log audit.jsonl",
      "  OPENSHARD_UPSTREAM_API_KEY=sk-... ./openshard seller --key seller.key --registry 127.0.0.1:7400 \\",
      "      --upstream https://api.openai.com/v1 --offering id=mini,service=gpt-4o-mini,model=gpt-4o-mini",
      "",
      "--offering keys: id, service (repeatable), model, in, out, cached (USDC base units per million",
      "tokens, default 0), capability (inference|agent|tool), context (max context tokens).",
      "",
      "Payments: without --ledger or --chain-rpc this command serves offerings priced at zero only;",
      "priced ones are refused with PAYMENT_UNSUPPORTED. With --ledger file:PATH (a demo ledger shared",
      "by the processes of one host, no real money) or --chain-rpc URL --escrow 0x… [--chain-id N],",
      "priced offerings are paid through payment channels: the buyer answers PaymentRequired on the",
      "same stream; channel state is kept in --channel-store (file:DIR or redis://HOST:PORT) and",
      "vouchers pay --payee (default: the seller's identity address). With --settle-wallet-key FILE",
      "the seller claims its channels itself (every --settle-every, once --settle-min is unclaimed or",
      "the claim deadline is within --settle-margin); otherwise './openshard settle' claims them. A",
      "request killed mid-stream is never charged; its reserved credit returns after --reservation-ttl.",
      "  ./openshard seller --key seller.key --registry 127.0.0.1:7400 --upstream http://127.0.0.1:8000/v1 \\",
      "      --offering id=llama,service=llama-3.1-8b,model=m,in=150000,out=600000 \\",
      "      --ledger file:/tmp/openshard.ledger --channel-store file:seller.channels",
    })
final class SellerCommand implements Callable<Integer> {
  /** How long the seller waits for the buyer's answer to PaymentRequired. */
  static final Duration PAYMENT_ANSWER_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--listen",
      description = "gRPC address HOST:PORT (port 0 = any free port; default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1:7100")
  String listen;

  @Option(
      names = "--registry",
      split = ",",
      description = "Registry HOST:PORT to register with (repeatable or comma-separated; none = not discoverable).")
  List<String> registries = new ArrayList<>();

  @Option(
      names = "--registry-replicas",
      paramLabel = "HOST:PORT,HOST:PORT",
      description = "One registry run as replicas on a shared Redis: one registration whose heartbeats fail over"
          + " between them (repeatable; one group per option).")
  List<String> registryReplicas = new ArrayList<>();

  @Option(
      names = "--upstream",
      required = true,
      description = "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama).")
  String upstream;

  @Option(names = "--key", description = "Seller key file (./openshard keys; default: ${DEFAULT-VALUE}).", defaultValue = "seller.key")
  Path key;

  @Option(names = "--offering", description = "An offering, id=...,service=...,model=...[,in=N,out=N,cached=N,capability=...,context=N] (repeatable).")
  List<String> offerings = new ArrayList<>();

  @Option(names = "--offerings", description = "A JSON file holding an array of offerings.")
  Path offeringsFile;

  @Mixin MetricsOption metrics = new MetricsOption();

  @Option(
      names = "--replay-store",
      description = "Where used nullifiers are kept: file:PATH or redis://HOST:PORT (default: ${DEFAULT-VALUE}).",
      defaultValue = "file:seller.replay")
  String replayStore;

  @Option(
      names = "--max-concurrency",
      description = "Requests served at once; more get RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).",
      defaultValue = "64")
  int maxConcurrency;

  @Option(
      names = "--key-rotation",
      description = "Encryption key rotation interval, 0 = never (default: ${DEFAULT-VALUE}).",
      defaultValue = "1h",
      converter = DurationConverter.class)
  Duration keyRotation;

  @Option(
      names = "--session-ttl",
      description = "How long a buyer may resume an envelope's session without a new proof (protocol section 5a; default: ${DEFAULT-VALUE}).",
      defaultValue = "5m",
      converter = DurationConverter.class)
  Duration sessionTtl;

  @Option(
      names = "--session-max-requests",
      description = "Requests one resumed session may carry, 0 = no resumption: every request needs an envelope (default: ${DEFAULT-VALUE}).",
      defaultValue = "4096")
  int sessionMaxRequests;

  @Option(names = "--audit-log", description = "Append one JSON line per request here (default: the openshard.audit logger on stderr).")
  Path auditLog;

  @Option(names = "--advertise", description = "Endpoint HOST:PORT registered for buyers (default: the listen address).")
  String advertise;

  @Option(
      names = "--upstream-timeout",
      description = "Time limit of one upstream request (default: ${DEFAULT-VALUE}).",
      defaultValue = "5m",
      converter = DurationConverter.class)
  Duration upstreamTimeout;

  @Option(
      names = "--drain-timeout",
      description = "On SIGTERM, how long running requests may finish (default: ${DEFAULT-VALUE}).",
      defaultValue = "30s",
      converter = DurationConverter.class)
  Duration drainTimeout;

  @Mixin LedgerOptions ledgerOptions = new LedgerOptions();

  @Option(names = "--payee", description = "Address 0x… paid by vouchers (default: the seller's identity address).")
  String payee;

  @Option(
      names = "--channel-store",
      description = "Payment channel state: file:DIR or redis://HOST:PORT (default: ${DEFAULT-VALUE}; used with a ledger).",
      defaultValue = "file:seller.channels")
  String channelStore;

  @Option(
      names = "--reservation-ttl",
      description = "Credit reserved for a paid request is released if the request is neither charged nor released"
          + " within this time (a seller killed mid-request); must exceed --upstream-timeout (default: ${DEFAULT-VALUE}).",
      defaultValue = "15m",
      converter = DurationConverter.class)
  Duration reservationTtl;

  @Option(
      names = "--settle-wallet-key",
      description = "Claim payment channels automatically, paying gas from this wallet key file (64 hex, mode 0600);"
          + " needs --ledger or --chain-rpc. Without it the seller never claims (use './openshard settle').")
  Path settleWalletKey;

  @Option(
      names = "--settle-every",
      description = "With --settle-wallet-key: how often the channels are looked at (default: ${DEFAULT-VALUE}).",
      defaultValue = "10m",
      converter = DurationConverter.class)
  Duration settleEvery;

  @Option(
      names = "--settle-min",
      description = "With --settle-wallet-key: claim a channel once this much USDC is unclaimed (a claim costs gas;"
          + " default: ${DEFAULT-VALUE}).",
      defaultValue = "1.00")
  String settleMin;

  @Option(
      names = "--settle-margin",
      description = "With --settle-wallet-key: claim whatever is unclaimed once a channel's claim deadline (expiry +"
          + " challenge window) is this close (default: ${DEFAULT-VALUE}).",
      defaultValue = "6h",
      converter = DurationConverter.class)
  Duration settleMargin;

  @Override
  public Integer call() throws Exception {
    SellerNode.Builder b = SellerNode.builder();
    ReplayCache replay;
    try {
      ListenAddress address = ListenAddress.parse(listen);
      b.listen(address).announce(true);
      ListenAddress metricsAddress = metrics.address();
      if (metricsAddress != null) {
        b.metrics(metricsAddress);
      }
      b.offerings(loadOfferings());
      b.upstream(upstream, System.getenv(OpenAiUpstream.API_KEY_ENV));
      b.upstreamTimeout(upstreamTimeout).drainTimeout(drainTimeout).maxConcurrency(maxConcurrency);
      b.sessionResumption(sessionTtl, sessionMaxRequests);
      b.keyRotation(keyRotation.isZero() ? null : keyRotation);
      for (String group : registryReplicas) {
        registries.add(String.join(",", ReplicaChannel.members(group)));
      }
      b.registries(registries);
      if (advertise != null && !advertise.isBlank()) {
        ListenAddress.parse(advertise);
        b.advertise(advertise.trim());
      } else if (!registries.isEmpty() && isWildcard(address.host())) {
        System.err.println("openshard seller: listening on " + address.host() + "; pass --advertise HOST:PORT so buyers can reach it");
        return 2;
      }
      if (auditLog != null) {
        b.auditLog(auditLog);
      }
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("openshard seller: " + e.getMessage());
      return 2;
    }
    SellerKeyFile keys;
    try {
      keys = SellerKeyFile.read(key);
    } catch (IOException e) {
      System.err.println("openshard seller: " + e.getMessage());
      return 2;
    }
    b.keyFile(keys);
    if (registries.isEmpty()) {
      System.err.println("openshard seller: no --registry: the seller is not discoverable and cannot fetch anchor sets");
      return 2;
    }
    try {
      replay = openReplayStore(replayStore);
    } catch (IllegalArgumentException e) {
      System.err.println("openshard seller: " + e.getMessage());
      return 2;
    } catch (StoreUnavailableException e) {
      System.err.println("openshard seller: replay store " + replayStore + " is unavailable: " + e.getMessage());
      return 1;
    }
    b.replayCache(replay);
    Ledger ledger;
    ChannelStore store = null;
    AutoSettler settler = null;
    Ledger settleLedger = null;
    try {
      ledger = ledgerOptions.open();
      if (ledger != null) {
        EthAddress to = payee == null || payee.isBlank()
            ? EthAddress.of(keys.peerId())
            : EthAddress.parse(payee.trim(), "--payee");
        if (reservationTtl.compareTo(upstreamTimeout) <= 0) {
          throw new IllegalArgumentException("--reservation-ttl " + reservationTtl + " must exceed --upstream-timeout " + upstreamTimeout);
        }
        store = openChannelStore(channelStore);
        b.payments(new ChannelValidator(to, store, ledger, java.time.Clock.systemUTC(),
            ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS, reservationTtl.toMillis()),
            PAYMENT_ANSWER_TIMEOUT);
      } else if (payee != null) {
        throw new IllegalArgumentException("--payee needs --ledger or --chain-rpc");
      } else if (settleWalletKey != null) {
        throw new IllegalArgumentException("--settle-wallet-key needs --ledger or --chain-rpc");
      }
      if (ledger != null && settleWalletKey != null) {
        AutoSettler.Policy policy = new AutoSettler.Policy(settleEvery, Usdc.parse(settleMin), settleMargin);
        WalletKey gas = WalletKeyFile.read(settleWalletKey);
        // Its own ledger connection: a claim waits for its transaction to be mined, and the
        // request path's ledger reads must not queue behind it.
        settleLedger = ledgerOptions.open();
        settler = new AutoSettler(new SellerSettlement(store, settleLedger, gas), policy);
      }
    } catch (IllegalArgumentException | IOException | PaymentException e) {
      replay.close();
      if (settleLedger != null) {
        settleLedger.close();
      }
      System.err.println("openshard seller: payments: " + e.getMessage());
      return 2;
    }
    final Ledger openLedger = ledger;
    final ChannelStore openStore = store;
    final AutoSettler openSettler = settler;
    final Ledger openSettleLedger = settleLedger;
    Shutdown shutdown = Shutdown.install();
    SellerNode node;
    try {
      node = b.build().start();
    } catch (IOException | RuntimeException e) {
      replay.close();
      System.err.println("openshard seller: cannot start: " + e.getMessage());
      return 1;
    }
    if (settler != null) {
      settler.start();
    }
    shutdown.onStop(
        () -> {
          if (openSettler != null) {
            openSettler.close();
            openSettleLedger.close();
          }
          node.close();
          if (openStore != null) {
            try {
              openStore.close();
            } catch (Exception ignored) {
              // closing at exit
            }
          }
          if (openLedger != null) {
            openLedger.close();
          }
        });
    shutdown.awaitAndExit();
    return 0;
  }

  private List<Offering> loadOfferings() throws IOException {
    List<Offering> list = new ArrayList<>();
    if (offeringsFile != null) {
      list.addAll(Offerings.load(offeringsFile));
    }
    for (String spec : offerings) {
      list.add(OfferingFlags.parse(spec));
    }
    if (list.isEmpty()) {
      throw new InvalidOfferingException("offerings", "no offering: pass --offering id=...,service=...,model=... or --offerings FILE");
    }
    return Offerings.validateList(list);
  }

  /** {@code file:PATH} or {@code redis://HOST:PORT}. */
  static ReplayCache openReplayStore(String spec) throws StoreUnavailableException {
    StoreSpec store = StoreSpec.parse(spec, "--replay-store", "PATH", "a path", "file:seller.replay");
    if (store.redis()) {
      return RedisReplayCache.connect(URI.create(store.target()), RedisReplayCache.DEFAULT_TIMEOUT, RedisReplayCache.DEFAULT_PREFIX);
    }
    return FileReplayCache.open(Path.of(store.target()));
  }

  /** {@code file:DIR} or {@code redis://HOST:PORT}. */
  static ChannelStore openChannelStore(String spec) throws PaymentException {
    StoreSpec store = StoreSpec.parse(spec, "--channel-store", "DIR", "a directory", "file:seller.channels");
    if (store.redis()) {
      return RedisChannelStore.connect(
          store.target(), RedisChannelStore.DEFAULT_PREFIX);
    }
    return FileChannelStore.open(Path.of(store.target()));
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }
}
