package org.openshard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openshard.bridge.BridgeServer;
import org.openshard.bridge.dashboard.DashboardSource;
import org.openshard.bridge.dashboard.RegistryDashboardSource;
import org.openshard.bridge.auth.ApiKeys;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.bridge.backend.OpenAiUpstreamBackend;
import org.openshard.bridge.keys.IdentityKeyFile;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.replay.InMemoryReplayStore;
import org.openshard.bridge.replay.RedisReplayStore;
import org.openshard.bridge.replay.ReplayStore;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.runtime.ListenAddress;
import org.openshard.runtime.Shutdown;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bridge",
    mixinStandardHelpOptions = true,
    description =
        "Runs the OpenAI-compatible HTTP bridge (HTTP/1.1 and h2c) with E2EE (ACI v2 and the legacy"
            + " Dstack/NEAR modes), signed receipts and API keys, in front of an OpenAI-compatible upstream"
            + " (--upstream) or a buyer's gRPC gateway, i.e. the market of sellers (--buyer). Exactly one of the two.",
    footer = {
      "",
      "Keys: --key is the node identity (secp256k1, hex or a './openshard keys' file) that signs the",
      "published E2EE keyset; without it a fresh identity is generated. --e2ee-keys FILE holds the",
      "E2EE and receipt keys: loaded if it exists, else generated and written there (mode 0600);",
      "without it they are generated in memory at every start. Replicas sharing --e2ee-keys must share --redis.",
      "No TEE: the bridge can read decrypted requests (see docs/bridge.md).",
      "",
      "With --buyer, responses say who served and what it cost: X-OpenShard-Seller, -Amount-Charged,",
      "-Seller-Receipt, -Nullifier, -Attempts (response headers; HTTP trailers on streams), and",
      "X-OpenShard-Peer: <peer id> on a request pins a seller.",
      "",
      "Examples:",
      "  ./openshard upstream-echo --listen 127.0.0.1:8000 &",
      "  ./openshard bridge --listen 127.0.0.1:8080 --upstream http://127.0.0.1:8000/v1",
      "  ./openshard bridge --listen 127.0.0.1:8080 --buyer 127.0.0.1:7000 --registry 127.0.0.1:50051   # status page: /dashboard",
      "  ./openshard bridge --listen 0.0.0.0:8080 --upstream http://10.0.0.5:8000/v1 --api-keys keys.txt \\",
      "      --redis redis://127.0.0.1:6379 --key node.key --e2ee-keys bridge-keys.json",
    })
final class BridgeCommand implements Callable<Integer> {
  @Option(names = "--listen", description = "HOST:PORT to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1:8080")
  String listen;

  /** The {@code --buyer} value that will run a buyer in this JVM (see {@link #inProcessBuyer()}). */
  static final String IN_PROCESS = "in-process";

  @Option(
      names = "--upstream",
      paramLabel = "URL",
      description = "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1. Exactly one of --upstream and --buyer.")
  String upstream;

  @Option(
      names = "--buyer",
      paramLabel = "HOST:PORT",
      description = "A buyer's gRPC gateway (openshard.v1.Gateway, plaintext), e.g. 127.0.0.1:7000."
          + " Exactly one of --upstream and --buyer.")
  String buyer;

  @Option(names = "--upstream-api-key", description = "Bearer key sent to the upstream (env OPENSHARD_UPSTREAM_API_KEY); --upstream only.")
  String upstreamApiKey;

  @Option(names = "--redis", description = "redis://host:port[/db] for replay state shared by replicas (default: in memory).")
  String redis;

  @Option(names = "--api-keys", description = "File with one client API key per line; required on non-loopback addresses.")
  Path apiKeys;

  @Option(names = "--key", description = "Node identity key file (64 hex chars, or a './openshard keys' JSON file).")
  Path key;

  @Option(names = "--e2ee-keys", description = "E2EE + receipt key file: loaded if present, else created (mode 0600).")
  Path e2eeKeys;

  @Option(names = "--max-request-bytes", description = "Largest request body (default: ${DEFAULT-VALUE}).", defaultValue = "4194304")
  long maxRequestBytes;

  @Option(
      names = "--registry",
      paramLabel = "HOST:PORT",
      description = "A registry to watch for the sellers listed on GET /dashboard (optional).")
  String registry;

  @Option(names = "--max-concurrent-requests", description = "Requests in flight before 429 (0 = unlimited; default: ${DEFAULT-VALUE}).", defaultValue = "0")
  int maxConcurrent;

  @Override
  public Integer call() throws Exception {
    ListenAddress address;
    ServiceKeys keys;
    Secp256k1PrivateKey identity;
    ApiKeys clientKeys = null;
    ChatBackend backend;
    try {
      checkOneBackend();
      address = ListenAddress.parse(listen);
      keys = e2eeKeys != null ? ServiceKeys.loadOrCreate(e2eeKeys) : ServiceKeys.generate();
      identity = key != null ? IdentityKeyFile.read(key) : Secp256k1PrivateKey.generate();
      if (apiKeys != null) {
        clientKeys = ApiKeys.read(apiKeys);
      }
      backend = backend();
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("openshard bridge: " + e.getMessage());
      return 2;
    }
    ReplayStore replay;
    try {
      replay = redis != null ? RedisReplayStore.connect(redis, Duration.ofSeconds(2)) : new InMemoryReplayStore();
    } catch (IllegalArgumentException e) {
      backend.close();
      System.err.println("openshard bridge: " + e.getMessage());
      return 2;
    }
    Shutdown shutdown = Shutdown.install();
    shutdown.onStop(backend::close);
    shutdown.onStop(replay::close);
    DashboardSource dashboard = DashboardSource.none();
    if (given(registry)) {
      RegistryDashboardSource watched = RegistryDashboardSource.connect(registry.trim());
      shutdown.onStop(watched::close);
      dashboard = watched;
    }
    BridgeServer server;
    try {
      server =
          BridgeServer.builder()
              .listen(address)
              .backend(backend)
              .serviceKeys(keys)
              .identityKey(identity)
              .replayStore(replay)
              .apiKeys(clientKeys)
              .maxRequestBytes(maxRequestBytes)
              .maxConcurrentRequests(maxConcurrent)
              .dashboardSource(dashboard)
              .announce(true)
              .start();
    } catch (IllegalStateException e) {
      System.err.println("openshard bridge: " + e.getMessage());
      shutdown.runCleanups();
      return 2;
    }
    System.err.println(
        "openshard bridge: peer_id " + server.peerId() + ", keyset " + server.keyset().digest() + ", backend "
            + (given(upstream) ? "upstream" : "buyer gateway " + buyer.trim()));
    shutdown.onStop(server::close);
    shutdown.awaitAndExit();
    return 0;
  }

  private static boolean given(String s) {
    return s != null && !s.isBlank();
  }

  /** Exactly one of --upstream and --buyer, else a message that says what to pass. */
  void checkOneBackend() {
    if (given(upstream) && given(buyer)) {
      throw new IllegalArgumentException(
          "--upstream and --buyer are mutually exclusive: pass --upstream URL (an OpenAI-compatible server)"
              + " or --buyer HOST:PORT (a buyer's gateway), not both");
    }
    if (!given(upstream) && !given(buyer)) {
      throw new IllegalArgumentException(
          "a backend is required: pass --upstream URL (an OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1)"
              + " or --buyer HOST:PORT (a buyer's gateway, e.g. 127.0.0.1:7000)");
    }
  }

  /** The backend --upstream or --buyer names (call {@link #checkOneBackend()} first). */
  ChatBackend backend() {
    if (given(upstream)) {
      return OpenAiUpstreamBackend.builder(upstream.trim()).apiKey(upstreamApiKey).build();
    }
    if (IN_PROCESS.equalsIgnoreCase(buyer.trim())) {
      return inProcessBuyer();
    }
    return GatewayBackend.connect(buyer.trim()).build();
  }

  /**
   * Extension point for {@code --buyer in-process}: start a buyer node in this JVM, serve its
   * Gateway on an in-process gRPC server, and return {@code GatewayBackend.builder(inProcessChannel)
   * .build()} wrapped so that closing the backend also stops the buyer. Needs the buyer module's node
   * class, which is not in this build yet.
   */
  ChatBackend inProcessBuyer() {
    throw new IllegalArgumentException(
        "--buyer in-process is not available in this build yet; run a buyer and pass --buyer HOST:PORT");
  }
}
