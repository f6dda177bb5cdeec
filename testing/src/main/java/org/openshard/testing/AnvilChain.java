package org.openshard.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * A local chain for tests: the {@code anvil} binary from the npm package
 * {@code @foundry-rs/anvil-linux-amd64} (the platform package of {@code @foundry-rs/anvil}; {@code cd contracts && npm ci}), started as a child process on a free loopback port. Found via
 * {@code OPENSHARD_ANVIL}, then {@code contracts/node_modules/@foundry-rs/anvil-<platform>/bin/anvil},
 * then PATH. If it is missing the test FAILS, unless {@code OPENSHARD_SKIP_CHAIN_TESTS=1}.
 */
public final class AnvilChain implements AutoCloseable {
  /** The JSON-RPC URL, {@code http://127.0.0.1:PORT}. */
  public final String rpcUrl;
  /** A web3j client on {@link #rpcUrl} (closed by {@link #close()}). */
  public final Web3j web3;
  private final HttpService http;
  private final Process process;

  private AnvilChain(String rpcUrl, Process process) {
    this.rpcUrl = rpcUrl;
    this.process = process;
    this.http = new HttpService(rpcUrl);
    this.web3 = Web3j.build(http);
  }

  /** Starts anvil (chain id 31337); fails, or aborts the test when OPENSHARD_SKIP_CHAIN_TESTS=1, if it is missing. */
  public static AnvilChain start() throws Exception {
    Path bin = locate();
    if (bin == null) {
      String msg = "anvil not found: run 'cd contracts && npm ci' (npm package @foundry-rs/anvil) or set OPENSHARD_ANVIL";
      if ("1".equals(System.getenv("OPENSHARD_SKIP_CHAIN_TESTS"))) {
        Assumptions.abort(msg + " (skipped: OPENSHARD_SKIP_CHAIN_TESTS=1)");
      }
      throw new IllegalStateException(msg);
    }
    int port = Ports.free();
    Path log = Files.createTempFile("openshard-anvil", ".log");
    Process p = new ProcessBuilder(bin.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--chain-id", "31337")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    AnvilChain chain = new AnvilChain("http://127.0.0.1:" + port, p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        chain.web3.ethChainId().send();
        return chain;
      } catch (IOException e) {
        if (!p.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
    }
    chain.close();
    throw new IllegalStateException("anvil did not start; see " + log);
  }

  private static Path locate() throws IOException {
    String env = System.getenv("OPENSHARD_ANVIL");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path scope = RepoPaths.repoRoot().resolve("contracts/node_modules/@foundry-rs");
    if (Files.isDirectory(scope)) {
      try (Stream<Path> s = Files.list(scope)) {
        for (Path d : (Iterable<Path>) s::iterator) {
          Path b = d.resolve("bin/anvil");
          if (d.getFileName().toString().startsWith("anvil-") && Files.isExecutable(b)) {
            return b;
          }
        }
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path b = Path.of(dir, "anvil");
      if (!dir.isEmpty() && Files.isExecutable(b)) {
        return b;
      }
    }
    return null;
  }

  /** Gives an address ({@code 0x…}) 100 ETH for gas. */
  public void fund(String address) throws IOException {
    rpc("anvil_setBalance", List.of(address, "0x" + new BigInteger("100000000000000000000").toString(16)));
  }

  /** Moves block time forward and mines a block. */
  public void advance(long seconds) throws IOException {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  private void rpc(String method, List<?> params) throws IOException {
    VoidResponse r = new Request<>(method, params, http, VoidResponse.class).send();
    if (r.hasError()) {
      throw new IOException(method + " failed: " + r.getError().getMessage());
    }
  }

  @Override
  public void close() {
    web3.shutdown();
    ChildProcess.stop(process, 5_000);
  }
}
