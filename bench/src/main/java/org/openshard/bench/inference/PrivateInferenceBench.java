package org.openshard.bench.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerNode;
import org.openshard.buyer.BuyerOptions;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.OfferingFlags;

/**
 * Load harness (a main class, not JMH) for private inference: application → buyer gateway (gRPC)
 * → seller (envelope, ring proof, replay store, upstream proxy) → echo upstream (HTTP), compared
 * with calling the echo upstream directly in the same run. Everything runs in this JVM on loopback.
 *
 * <p>For each concurrency level (closed loop: each worker sends its next request when the previous
 * one finished) it measures streaming time to first token (the first chunk with non-empty content)
 * and non-streaming requests/s, direct and private; then the per-token cost of a long streamed
 * answer at concurrency 1. Every answer is checked; failures are counted in the errors column.
 *
 * <pre>
 * bench/inference-load [--seconds 4] [--warmup 1] [--ring 8] [--buyers 8] [--sellers 2]
 *                      [--concurrency 1,16,64] [--replay file|redis]
 * </pre>
 *
 * Each seller is configured with nullifier epochs of 60 s and 1,024 slots (the protocol's maximum
 * rate for one credential at one seller); several buyer nodes, each with its own credential, share
 * the load so the run does not exhaust the slots.
 */
public final class PrivateInferenceBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final java.util.concurrent.ConcurrentLinkedQueue<Long> PROOF = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final org.openshard.seller.pipeline.RequestObserver SELLER_PROBE =
      new org.openshard.seller.pipeline.RequestObserver() {
        @Override
        public void proofVerified(Duration elapsed) {
          PROOF.add(elapsed.toNanos());
        }

        @Override
        public void finished(org.openshard.seller.pipeline.RequestRecord record) {
          if (record.ok()) {
            SELLER_TTFT.add(record.timeToFirstToken().toNanos());
            SELLER_UPSTREAM.add(record.upstream().toNanos());
            SELLER_TOTAL.add(record.total().toNanos());
          }
        }
      };
  static final java.util.concurrent.ConcurrentLinkedQueue<Long> SELLER_TTFT = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final java.util.concurrent.ConcurrentLinkedQueue<Long> SELLER_UPSTREAM = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static final java.util.concurrent.ConcurrentLinkedQueue<Long> SELLER_TOTAL = new java.util.concurrent.ConcurrentLinkedQueue<>();

  static String p50(java.util.Collection<Long> q) {
    long[] a = q.stream().mapToLong(Long::longValue).sorted().toArray();
    return a.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f ms", pct(a, 50));
  }
  private static final String SERVICE = "echo-1";
  private static final String PROMPT = "the quick brown fox jumps over the lazy dog again and again";

  private final int seconds;
  private final int warmup;
  private final int ring;
  private final int buyerCount;
  private final int sellerCount;
  private final int[] levels;
  private final String replay;
  /** Offered loads (requests/s) of the paced cells; empty = none. */
  private final double[] rates;
  private final int pacedClients;
  private final List<String> rows = new ArrayList<>();

  private EchoServer echo;
  private RegistryServer registry;
  private final List<SellerNode> sellers = new ArrayList<>();
  private final List<BuyerNode> buyers = new ArrayList<>();
  private final List<ManagedChannel> gateways = new ArrayList<>();
  private final AtomicLong nextGateway = new AtomicLong();
  private HttpClient http;
  private Path tmp;
  private AutoCloseable redis;

  PrivateInferenceBench(Map<String, String> opts) {
    seconds = Integer.parseInt(opts.getOrDefault("seconds", "4"));
    warmup = Integer.parseInt(opts.getOrDefault("warmup", "1"));
    ring = Integer.parseInt(opts.getOrDefault("ring", "8"));
    buyerCount = Integer.parseInt(opts.getOrDefault("buyers", "8"));
    sellerCount = Integer.parseInt(opts.getOrDefault("sellers", "2"));
    levels = Arrays.stream(opts.getOrDefault("concurrency", "1,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
    replay = opts.getOrDefault("replay", "file");
    String r = opts.getOrDefault("rates", "");
    rates = r.isEmpty() ? new double[0] : Arrays.stream(r.split(",")).mapToDouble(Double::parseDouble).toArray();
    pacedClients = Integer.parseInt(opts.getOrDefault("paced-clients", "16"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    PrivateInferenceBench b = new PrivateInferenceBench(opts);
    long t0 = System.nanoTime();
    try {
      b.setUp();
      b.run();
    } finally {
      b.tearDown();
    }
    System.out.printf(Locale.ROOT, "%ntotal run time %.0f s%n", (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }

  void setUp() throws Exception {
    tmp = Files.createTempDirectory("openshard-inference-bench");
    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    registry = RegistryServer.builder().listen(ListenAddress.loopback(0)).config(RegistryConfig.builder().build()).start();
    String redisUri = null;
    if (replay.equals("redis")) {
      org.openshard.testing.RedisServer rs = org.openshard.testing.RedisServer.startPrivate();
      redis = rs;
      redisUri = rs.uri();
    }
    for (int i = 0; i < sellerCount; i++) {
      SellerNode.Builder sb =
          SellerNode.builder()
              .identityKey(Secp256k1PrivateKey.generate())
              .offerings(List.of(OfferingFlags.parse("id=echo" + i + ",service=" + SERVICE + ",model=echo")))
              .upstream(echo.baseUrl(), null)
              .registries(List.of(registry.target()))
              .nullifierEpochs(NullifierEpochs.of(60, NullifierEpochs.MAX_SLOTS_PER_EPOCH))
              .maxConcurrency(256)
              .observer(SELLER_PROBE)
              .listen(ListenAddress.loopback(0));
      if (redisUri != null) {
        sb.replayCache(
            org.openshard.credentials.replay.RedisReplayCache.connect(URI.create(redisUri), Duration.ofSeconds(2), "bench" + i + ":"));
      } else {
        sb.replayCache(FileReplayCache.open(tmp.resolve("seller" + i + ".replay")));
      }
      sellers.add(sb.build().start());
    }
    for (int i = 0; i < buyerCount; i++) {
      BuyerNode node =
          BuyerNode.start(
              BuyerConfig.builder()
                  .registry(registry.target())
                  .options(BuyerOptions.builder().ringSize(ring).build())
                  .listen(ListenAddress.loopback(0))
                  .readyTimeout(Duration.ofSeconds(60))
                  .build());
      buyers.add(node);
      gateways.add(NettyChannelBuilder.forTarget(node.target()).usePlaintext().build());
    }
    for (ManagedChannel g : gateways) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        var m = GatewayGrpc.newBlockingStub(g).listModels(ListModelsRequest.getDefaultInstance());
        if (m.getModelsCount() > 0 && m.getModels(0).getSellerCount() == sellerCount) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("buyers did not see every seller");
        }
        Thread.sleep(50);
      }
    }
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    System.out.printf(
        Locale.ROOT,
        "setup: %d seller(s) (replay store %s, epochs 60 s x %d slots), %d buyer node(s), ring size %d, %d s measured per cell after %d s warm-up%n",
        sellerCount, replay, NullifierEpochs.MAX_SLOTS_PER_EPOCH, buyerCount, ring, seconds, warmup);
  }

  void tearDown() {
    for (ManagedChannel g : gateways) {
      g.shutdownNow();
    }
    for (BuyerNode b : buyers) {
      b.close();
    }
    for (SellerNode s : sellers) {
      s.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (echo != null) {
      echo.close();
    }
    if (redis != null) {
      try {
        redis.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  // ---- one request of each kind; each returns {ttftNanos, totalNanos, tokens} or throws ----

  interface Call {
    long[] run(int worker) throws Exception;
  }

  private static String body(String prompt, boolean stream) {
    return "{\"model\":\"" + SERVICE + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  private long[] direct(String prompt, boolean stream) throws Exception {
    String expected = prompt;
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(echo.baseUrl() + "/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(prompt, stream)))
            .build();
    long start = System.nanoTime();
    if (!stream) {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      long end = System.nanoTime();
      String content = JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asText();
      check(r.statusCode() == 200 && content.equals(expected), "direct answer");
      return new long[] {end - start, end - start, 1};
    }
    HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    check(r.statusCode() == 200, "direct status");
    long ttft = -1;
    int tokens = 0;
    StringBuilder text = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
          continue;
        }
        JsonNode c = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta").path("content");
        if (c.isTextual() && !c.asText().isEmpty()) {
          if (ttft < 0) {
            ttft = System.nanoTime() - start;
          }
          tokens++;
          text.append(c.asText());
        }
      }
    }
    long end = System.nanoTime();
    check(text.toString().equals(expected), "direct streamed text");
    return new long[] {ttft, end - start, tokens};
  }

  private long[] viaBuyer(int worker, String prompt, boolean stream) {
    // Round-robin per request (not per worker): at concurrency 1 a single buyer node would use up
    // its credential's nullifier slots (1,024 per seller per minute) and fail with
    // NO_SELLER_AVAILABLE, which is the harness's limit, not the private path's.
    ManagedChannel g = gateways.get((int) Math.floorMod(nextGateway.getAndIncrement(), (long) gateways.size()));
    long start = System.nanoTime();
    Iterator<ChatCompletionEvent> it =
        GatewayGrpc.newBlockingStub(g)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(body(prompt, stream)).build());
    long ttft = -1;
    int tokens = 0;
    boolean summary = false;
    StringBuilder text = new StringBuilder();
    while (it.hasNext()) {
      ChatCompletionEvent e = it.next();
      if (e.hasChunk() && !e.getChunk().getContentDelta().isEmpty()) {
        if (ttft < 0) {
          ttft = System.nanoTime() - start;
        }
        tokens++;
        text.append(e.getChunk().getContentDelta());
      } else if (e.hasCompletion()) {
        ttft = System.nanoTime() - start;
        text.append(e.getCompletion().getContent());
        tokens = 1;
      } else if (e.hasSummary()) {
        summary = true;
      }
    }
    long end = System.nanoTime();
    check(summary && text.toString().equals(prompt), "private answer");
    return new long[] {ttft, end - start, tokens};
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("wrong " + what);
    }
  }

  // ---- closed-loop driver ----

  static final class Cell {
    final List<long[]> samples = new ArrayList<>();
    final LongAdder errors = new LongAdder();
    final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    double seconds;
    /** CPU time this JVM (every role and the clients) used during the cell, ns. */
    long cpuNanos;
    /**
     * CPU time of the JVM's Java threads (every role and the clients) during the cell, ns: the
     * process CPU without the JIT compiler and GC threads, which the short cells cannot amortise.
     */
    long appCpuNanos;
  }

  Cell drive(int concurrency, int runSeconds, Call call) throws InterruptedException {
    long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(runSeconds);
    return runWorkers(
        concurrency,
        "bench-worker-",
        (worker, cell, samples) -> {
          while (System.nanoTime() < stopAt) {
            try {
              samples.add(call.run(worker));
            } catch (Exception e) {
              recordError(cell, e);
            }
          }
        });
  }

  /**
   * Open loop: {@code clients} workers together start {@code rate} requests/s on a fixed schedule
   * (worker w sends at t0 + (k·clients + w)/rate). Latencies count from the scheduled start, so a
   * request that waits for a late worker is charged that wait (no coordinated omission).
   */
  Cell pace(int clients, double rate, int runSeconds, Call call) throws InterruptedException {
    long intervalNanos = (long) (1e9 * clients / rate);
    long t0 = System.nanoTime() + 20_000_000L;
    long stopAt = t0 + TimeUnit.SECONDS.toNanos(runSeconds);
    return runWorkers(
        clients,
        "bench-paced-",
        (worker, cell, samples) -> {
          for (long due = t0 + (long) (1e9 * worker / rate); due < stopAt; due += intervalNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
            long lag = System.nanoTime() - due;
            try {
              long[] r = call.run(worker);
              samples.add(new long[] {r[0] + lag, r[1] + lag, r[2]});
            } catch (Exception e) {
              recordError(cell, e);
            }
          }
        });
  }

  /** One worker's loop: adds its samples to {@code samples}, its errors to {@code cell}. */
  interface WorkerLoop {
    void run(int worker, Cell cell, List<long[]> samples) throws InterruptedException;
  }

  /** Runs {@code workers} threads to completion and measures the cell: time, process and Java-thread CPU. */
  Cell runWorkers(int workers, String threadPrefix, WorkerLoop loop) throws InterruptedException {
    Cell cell = new Cell();
    CountDownLatch done = new CountDownLatch(workers);
    List<List<long[]>> perWorker = new ArrayList<>();
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    Map<Long, Long> threadCpu0 = threadCpuNanos();
    for (int w = 0; w < workers; w++) {
      List<long[]> mine = new ArrayList<>();
      perWorker.add(mine);
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  loop.run(worker, cell, mine);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              },
              threadPrefix + w);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    cell.seconds = (System.nanoTime() - t0) / 1e9;
    cell.cpuNanos = processCpuNanos() - cpu0;
    for (Map.Entry<Long, Long> e : threadCpuNanos().entrySet()) {
      cell.appCpuNanos += e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L);
    }
    for (List<long[]> l : perWorker) {
      cell.samples.addAll(l);
    }
    return cell;
  }

  private static void recordError(Cell cell, Exception e) {
    cell.errors.increment();
    String kind =
        e instanceof StatusRuntimeException
            ? ErrorStatuses.detailOf(e).map(d -> d.getCode().name()).orElse(((StatusRuntimeException) e).getStatus().getCode().name())
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    cell.errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time so far of every live Java thread, by thread id (threads that end are not counted). */
  static Map<Long, Long> threadCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new java.util.HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      long t = mx.getThreadCpuTime(id);
      if (t >= 0) {
        out.put(id, t);
      }
    }
    return out;
  }

  Cell measure(int concurrency, Call call) throws InterruptedException {
    drive(concurrency, warmup, call);
    return drive(concurrency, seconds, call);
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  static long[] column(Cell c, int idx) {
    return c.samples.stream().mapToLong(s -> s[idx]).sorted().toArray();
  }

  void run() throws Exception {
    if (System.getProperty("bench.profile") != null) {
      // Profiling aid (run under JFR): only the private non-streaming path at the first concurrency
      // level, or with -Dbench.profile=tokens the private 256-token stream (per-token costs).
      boolean tokens = System.getProperty("bench.profile").equals("tokens");
      Cell c = measure(levels[0], w -> viaBuyer(w, tokens ? longPrompt() : PROMPT, tokens));
      report("buyer → seller → echo", tokens ? "stream" : "non-stream", levels[0], c);
      if (tokens) {
        System.out.printf(Locale.ROOT, "per token after the first: %.1f µs%n", perToken(c));
      }
      long[] pv = PROOF.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "seller proof verify p50=%.3fms p99=%.3fms%n", pct(pv, 50), pct(pv, 99));
      System.out.println("seller p50: time to first token " + p50(SELLER_TTFT) + ", upstream " + p50(SELLER_UPSTREAM) + ", total " + p50(SELLER_TOTAL));
      return;
    }
    // Warm the JIT on both paths first; one worker per buyer node so that every seller has fetched
    // every buyer's anchor-set epoch (sellers fetch an unknown epoch at most once a second).
    drive(Math.max(4, buyerCount), Math.max(5, warmup * 2), w -> viaBuyer(w, PROMPT, true));
    drive(4, Math.max(1, warmup), w -> direct(PROMPT, true));
    PROOF.clear();

    System.out.println();
    System.out.println("| path | mode | concurrency | requests/s | TTFT p50 ms | TTFT p99 ms | total p50 ms | total p99 ms | CPU ms/request | Java-thread CPU ms/request | errors |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Map<Integer, double[]> ttftDirect = new TreeMap<>();
    Map<Integer, double[]> ttftPrivate = new TreeMap<>();
    for (int c : levels) {
      Cell ds = measure(c, w -> direct(PROMPT, true));
      report("direct echo", "stream", c, ds);
      ttftDirect.put(c, new double[] {pct(column(ds, 0), 50), pct(column(ds, 0), 99)});
      Cell ps = measure(c, w -> viaBuyer(w, PROMPT, true));
      report("buyer → seller → echo", "stream", c, ps);
      ttftPrivate.put(c, new double[] {pct(column(ps, 0), 50), pct(column(ps, 0), 99)});
      Cell dp = measure(c, w -> direct(PROMPT, false));
      report("direct echo", "non-stream", c, dp);
      Cell pp = measure(c, w -> viaBuyer(w, PROMPT, false));
      report("buyer → seller → echo", "non-stream", c, pp);
    }
    System.out.println();
    System.out.println("| concurrency | added TTFT p50 ms | added TTFT p99 ms |");
    System.out.println("|---:|---:|---:|");
    for (int c : levels) {
      double[] d = ttftDirect.get(c);
      double[] p = ttftPrivate.get(c);
      System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f |%n", c, p[0] - d[0], p[1] - d[1]);
    }

    if (rates.length > 0) {
      // Latency below saturation: the same streamed request, offered at fixed rates by
      // pacedClients concurrent clients, direct and private in turn.
      System.out.println();
      System.out.printf(Locale.ROOT, "paced (open loop), %d concurrent clients, streamed requests, latency from the scheduled start:%n", pacedClients);
      System.out.println("| offered req/s | direct TTFT p50 ms | direct TTFT p99 ms | private TTFT p50 ms | private TTFT p99 ms | added TTFT p50 ms | added TTFT p99 ms | private CPU ms/request | errors |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (double rate : rates) {
        pace(pacedClients, rate, Math.max(1, warmup), w -> direct(PROMPT, true));
        Cell d = pace(pacedClients, rate, seconds, w -> direct(PROMPT, true));
        pace(pacedClients, rate, Math.max(1, warmup), w -> viaBuyer(w, PROMPT, true));
        Cell p = pace(pacedClients, rate, seconds, w -> viaBuyer(w, PROMPT, true));
        long[] dt = column(d, 0);
        long[] pt = column(p, 0);
        System.out.printf(
            Locale.ROOT, "| %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n",
            rate, pct(dt, 50), pct(dt, 99), pct(pt, 50), pct(pt, 99), pct(pt, 50) - pct(dt, 50), pct(pt, 99) - pct(dt, 99),
            p.samples.isEmpty() ? Double.NaN : p.cpuNanos / 1e6 / p.samples.size(), d.errors.sum() + p.errors.sum());
        System.out.flush();
      }
    }

    // Per-token cost: a 256-word answer streamed at concurrency 1.
    String lp = longPrompt();
    Cell dl = measure(1, w -> direct(lp, true));
    Cell pl = measure(1, w -> viaBuyer(w, lp, true));
    double dPer = perToken(dl);
    double pPer = perToken(pl);
    System.out.println();
    System.out.println("| path | 256-token stream, total p50 ms | per token after the first, µs | errors |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| direct echo | %.2f | %.1f | %d |%n", pct(column(dl, 1), 50), dPer, dl.errors.sum());
    System.out.printf(Locale.ROOT, "| buyer → seller → echo | %.2f | %.1f | %d |%n", pct(column(pl, 1), 50), pPer, pl.errors.sum());
    System.out.printf(Locale.ROOT, "per-token overhead of the private path: %.1f µs%n", pPer - dPer);
    long[] pv = PROOF.stream().mapToLong(Long::longValue).sorted().toArray();
    if (pv.length > 0) {
      System.out.printf(Locale.ROOT, "seller ring-proof verification (ring %d): p50 %.3f ms, p99 %.3f ms over %d requests%n",
          ring, pct(pv, 50), pct(pv, 99), pv.length);
    }
  }

  /** A 256-word prompt: the echo answers it as 256 streamed pieces. */
  static String longPrompt() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      b.append(i == 0 ? "" : " ").append("w").append(i);
    }
    return b.toString();
  }

  /** Median over requests of (total − TTFT) / (tokens − 1), in µs. */
  static double perToken(Cell c) {
    long[] per =
        c.samples.stream().filter(s -> s[2] > 1).mapToLong(s -> (s[1] - s[0]) / (s[2] - 1)).sorted().toArray();
    return per.length == 0 ? Double.NaN : per[per.length / 2] / 1e3;
  }

  void report(String path, String mode, int c, Cell cell) {
    long[] ttft = column(cell, 0);
    long[] total = column(cell, 1);
    String errs = Long.toString(cell.errors.sum());
    if (!cell.errorKinds.isEmpty()) {
      StringBuilder b = new StringBuilder(errs).append(" (");
      cell.errorKinds.forEach((k, v) -> b.append(k).append(": ").append(v.sum()).append("; "));
      errs = b.substring(0, b.length() - 2) + ")";
    }
    boolean stream = mode.equals("stream");
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %d | %.0f | %s | %s | %.2f | %.2f | %.2f | %.2f | %s |%n",
        path, mode, c, cell.samples.size() / cell.seconds,
        stream ? String.format(Locale.ROOT, "%.2f", pct(ttft, 50)) : "–",
        stream ? String.format(Locale.ROOT, "%.2f", pct(ttft, 99)) : "–",
        pct(total, 50), pct(total, 99), cell.samples.isEmpty() ? Double.NaN : cell.cpuNanos / 1e6 / cell.samples.size(),
        cell.samples.isEmpty() ? Double.NaN : cell.appCpuNanos / 1e6 / cell.samples.size(), errs);
    System.out.flush();
  }
}
