package org.openshard.sdk.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;

/**
 * Example: sell inference from inside your own Java process, in front of your own
 * OpenAI-compatible model server (vLLM, llama.cpp server, Ollama's /v1, …).
 *
 * <pre>
 * java … org.openshard.sdk.examples.SellerInAppExample 127.0.0.1:7400 http://127.0.0.1:8000/v1 my-model ./seller-data
 * </pre>
 */
public final class SellerInAppExample {
  private SellerInAppExample() {}

  /**
   * Starts a seller registered at {@code registry} that serves {@code serviceId} by forwarding to
   * {@code upstreamBaseUrl}. The caller closes the returned node (it deregisters).
   */
  public static SellerNode start(String registry, String upstreamBaseUrl, String serviceId, Path dataDir) throws Exception {
    Files.createDirectories(dataDir);
    Offering offering =
        Offering.builder()
            .id("main")
            .capability(Offering.Kind.INFERENCE)
            .serviceId(serviceId) // what buyers ask for in "model"
            .upstreamModel(serviceId) // what your model server calls it
            .build();
    return SellerNode.builder()
        // A real seller keeps its identity: load it with keyFile(SellerKeyFile.read(...)).
        .identityKey(Secp256k1PrivateKey.generate())
        .offerings(List.of(offering))
        .upstream(upstreamBaseUrl, System.getenv("UPSTREAM_API_KEY"))
        .upstreamTimeout(Duration.ofMinutes(2))
        .registries(List.of(registry)) // "a:7400,b:7400" = one registry run as two replicas
        .replayCache(FileReplayCache.open(dataDir.resolve("nullifiers.replay"))) // RedisReplayCache for replicas
        .auditLog(dataDir.resolve("audit.log"))
        .listen(ListenAddress.loopback(0)) // a reachable address in production, e.g. 0.0.0.0:7500
        .build()
        .start();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: SellerInAppExample REGISTRY_HOST:PORT UPSTREAM_BASE_URL SERVICE_ID DATA_DIR");
      System.exit(2);
    }
    SellerNode seller = start(args[0], args[1], args[2], Path.of(args[3]));
    Runtime.getRuntime().addShutdownHook(new Thread(seller::close));
    System.out.println("seller " + seller.peerId() + " serving " + args[2] + " on " + seller.target());
    Thread.currentThread().join();
  }
}
