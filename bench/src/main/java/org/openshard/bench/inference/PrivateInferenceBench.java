package org.openshard.bench.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.util.HashMap;
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
import org.openshard.credentials.replay.RedisReplayCache;
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
import org.openshard.testing.RedisServer;

/**
 * Load harness (a main class, not JMH) for private inference: application → buyer gateway (gRPC)
 * → seller (envelope, ring proof, replay store, upstream proxy) → echo upstream (HTTP), compared
 * in the same run with calling the echo upstream directly and with a {@link PlainRelay} (application
 * → relay A → relay B → echo: the private path's two gRPC hops and HTTP upstream call without
 * selection, envelope, payment or receipt). Everything runs in this JVM on loopback.
 *
 * <p>For each concurrency level (closed loop: each worker sends its next request when the previous
 * one finished) it measures streaming time to first token (the first chunk with non-empty content)
 * and non-streaming requests/s on the three paths, then the added TTFT (plain relay − direct,
 * private − direct, private − plain relay). With {@code --token-delay-ms N} (default 10; 0 = skip)
 * it repeats the streamed request against a model-paced echo (N ms before each content piece) at
 * every concurrency level above 1. With {@code --rates} it runs open-loop cells at those offered
 * loads ({@code --paced-clients} clients, default 16). Last, the per-token cost of a long streamed
 * answer at concurrency 1. Every answer is checked; failures are counted in the errors column.
 *
 * <pre>
 * bench/inference-load [--seconds 4] [--warmup 1] [--ring 8] [--buyers 8] [--sellers 2]
 *                      [--concurrency 1,16,64] [--token-delay-ms 10] [--rates 100,300]
 *                      [--paced-clients 16] [--replay file|redis]
 * </pre>
 *
 * Profiling aid: {@code -Dbench.profile=paced} (only the open-loop cells, direct and private),
 * {@code -Dbench.profile=stream} (the 12-word streamed private request),
 * {@code =tokens} (the 256-token private stream) or {@code =nonstream} (the non-streamed private
 * request) measures only that cell at the first concurrency level and prints the sellers' own
 * timings.
 *
 * <p>Each seller is configured with nullifier epochs of 60 s and 1,024 slots (the protocol's maximum
 * rate for one credential at one seller); several buyer nodes, each with its own credential, share
 * the load so the run does not exhaust the slots.
 */
public final class PrivateInferenceBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SellerProbe probe = new SellerProbe();
  private static final String SERVICE = "echo-1";
  private static final String PROMPT = "the quick brown fox jumps over the lazy dog again and again";
  private static final String DIRECT = "direct echo";
  private static final String PLAIN = "plain relay (A → B → echo)";
  private static final String PRIVATE = "buyer → seller → echo";

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
  /** The echo's per-token delay in the model-paced cells, ms; 0 = no such cells. */
  private final int tokenDelayMs;
  /** Measured seconds per model-paced cell; 0 = a quarter of {@code seconds} (at least 1). */
  private final int modelPacedSeconds;

  private EchoServer echo;
  private RegistryServer registry;
  private final List<SellerNode> sellers = new ArrayList<>();
  private final List<BuyerNode> buyers = new ArrayList<>();
  private final List<ManagedChannel> gateways = new ArrayList<>();
  private final AtomicLong nextGateway = new AtomicLong();
  private PlainRelay plain;
  private ManagedChannel plainChannel;
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
    tokenDelayMs = Integer.parseInt(opts.getOrDefault("token-delay-ms", "10"));
    modelPacedSeconds = Integer.parseInt(opts.getOrDefault("model-paced-seconds", "0"));
    if (tokenDelayMs < 0) {
      throw new IllegalArgumentException("--token-delay-ms must be ≥ 0");
    }
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
      RedisServer rs = RedisServer.startPrivate();
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
              .observer(probe)
              .listen(ListenAddress.loopback(0));
      if (redisUri != null) {
        sb.replayCache(
            RedisReplayCache.connect(URI.create(redisUri), Duration.ofSeconds(2), "bench" + i + ":"));
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
    plain = PlainRelay.start(echo.baseUrl());
    plainChannel = NettyChannelBuilder.forTarget(plain.target()).usePlaintext().build();
    viaPlain(PROMPT, true, 0);
    viaPlain(PROMPT, false, 0);
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
    if (plainChannel != null) {
      plainChannel.shutdownNow();
    }
    if (plain != null) {
      plain.close();
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

  /** The request body; {@code tokenDelayMs > 0} adds the echo's pacing knob (the seller forwards it unchanged). */
  private static String body(String prompt, boolean stream, int tokenDelayMs) {
    String knob = tokenDelayMs > 0 ? ",\"x_echo\":{\"token_delay_ms\":" + tokenDelayMs + "}" : "";
    return "{\"model\":\"" + SERVICE + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]"
        + knob + "}";
  }

  private long[] direct(String prompt, boolean stream) throws Exception {
    return direct(prompt, stream, 0);
  }

  private long[] direct(String prompt, boolean stream, int tokenDelayMs) throws Exception {
    String expected = prompt;
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(echo.baseUrl() + "/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(prompt, stream, tokenDelayMs)))
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
    return viaBuyer(worker, prompt, stream, 0);
  }

  private long[] viaBuyer(int worker, String prompt, boolean stream, int tokenDelayMs) {
    // Round-robin per request (not per worker): at concurrency 1 a single buyer node would use up
    // its credential's nullifier slots (1,024 per seller per minute) and fail with
    // NO_SELLER_AVAILABLE, which is the harness's limit, not the private path's.
    ManagedChannel g = gateways.get((int) Math.floorMod(nextGateway.getAndIncrement(), (long) gateways.size()));
    return viaGateway(g, prompt, stream, tokenDelayMs, "private answer");
  }

  /** Through the plain relay (A → B → echo): the same Gateway call and the same checks as {@link #viaBuyer}. */
  private long[] viaPlain(String prompt, boolean stream, int tokenDelayMs) {
    return viaGateway(plainChannel, prompt, stream, tokenDelayMs, "plain relay answer");
  }

  /** One Gateway call; checks that the text equals the prompt and that a summary came last. */
  private long[] viaGateway(ManagedChannel g, String prompt, boolean stream, int tokenDelayMs, String what) {
    long start = System.nanoTime();
    Iterator<ChatCompletionEvent> it =
        GatewayGrpc.newBlockingStub(g)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(body(prompt, stream, tokenDelayMs)).build());
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
    check(summary && text.toString().equals(prompt), what);
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
    return driveMillis(concurrency, TimeUnit.SECONDS.toMillis(runSeconds), call);
  }

  Cell driveMillis(int concurrency, long runMillis, Call call) throws InterruptedException {
    long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
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
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time so far of every live Java thread, by thread id (threads that end are not counted). */
  static Map<Long, Long> threadCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
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
    String profile = System.getProperty("bench.profile");
    warmPrivatePath();
    if (profile != null) {
      profile(profile);
      return;
    }
    drive(4, Math.max(1, warmup), w -> direct(PROMPT, true));
    long plainStart = System.nanoTime();
    drive(4, Math.max(1, warmup), w -> viaPlain(PROMPT, w % 2 == 0, 0));
    long plainNanos = System.nanoTime() - plainStart;
    probe.proofVerify.clear();

    System.out.println();
    System.out.println("| path | mode | concurrency | requests/s | TTFT p50 ms | TTFT p99 ms | total p50 ms | total p99 ms | CPU ms/request | Java-thread CPU ms/request | errors |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    Map<Integer, double[]> ttftDirect = new TreeMap<>();
    Map<Integer, double[]> ttftPlain = new TreeMap<>();
    Map<Integer, double[]> ttftPrivate = new TreeMap<>();
    for (int c : levels) {
      Cell ds = measure(c, w -> direct(PROMPT, true));
      report(DIRECT, "stream", c, ds);
      ttftDirect.put(c, ttft(ds));
      plainStart = System.nanoTime();
      Cell ls = measure(c, w -> viaPlain(PROMPT, true, 0));
      plainNanos += System.nanoTime() - plainStart;
      report(PLAIN, "stream", c, ls);
      ttftPlain.put(c, ttft(ls));
      Cell ps = measure(c, w -> viaBuyer(w, PROMPT, true));
      report(PRIVATE, "stream", c, ps);
      ttftPrivate.put(c, ttft(ps));
      Cell dp = measure(c, w -> direct(PROMPT, false));
      report(DIRECT, "non-stream", c, dp);
      plainStart = System.nanoTime();
      Cell lp = measure(c, w -> viaPlain(PROMPT, false, 0));
      plainNanos += System.nanoTime() - plainStart;
      report(PLAIN, "non-stream", c, lp);
      Cell pp = measure(c, w -> viaBuyer(w, PROMPT, false));
      report(PRIVATE, "non-stream", c, pp);
    }
    System.out.println();
    System.out.println("Added TTFT, closed loop (streamed; difference of the p50s and of the p99s at the same concurrency):");
    System.out.println("| concurrency | plain relay − direct p50 ms | plain relay − direct p99 ms | private − direct p50 ms | private − direct p99 ms | private − plain relay p50 ms | private − plain relay p99 ms |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
      double[] d = ttftDirect.get(c);
      double[] l = ttftPlain.get(c);
      double[] p = ttftPrivate.get(c);
      System.out.printf(
          Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
          c, l[0] - d[0], l[1] - d[1], p[0] - d[0], p[1] - d[1], p[0] - l[0], p[1] - l[1]);
    }

    long pacedNanos = 0;
    if (tokenDelayMs > 0) {
      long t = System.nanoTime();
      modelPaced();
      pacedNanos = System.nanoTime() - t;
    }

    if (rates.length > 0) {
      pacedTable();
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
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %s |%n", DIRECT, pct(column(dl, 1), 50), dPer, errors(dl));
    System.out.printf(Locale.ROOT, "| %s | %.2f | %.1f | %s |%n", PRIVATE, pct(column(pl, 1), 50), pPer, errors(pl));
    System.out.printf(Locale.ROOT, "per-token overhead of the private path: %.1f µs%n", pPer - dPer);
    long[] pv = SellerProbe.sorted(probe.proofVerify);
    if (pv.length > 0) {
      System.out.printf(Locale.ROOT, "seller ring-proof verification (ring %d): p50 %.3f ms, p99 %.3f ms over %d requests%n",
          ring, pct(pv, 50), pct(pv, 99), pv.length);
    }
    System.out.printf(
        Locale.ROOT, "time in plain-relay cells (with their warm-ups) %.0f s, in model-paced cells %.0f s%n", plainNanos / 1e9, pacedNanos / 1e9);
  }

  /**
   * Warms the JIT on the private path, then keeps going until every seller knows every buyer's
   * anchor-set epoch: a seller fetches unknown epochs on demand but rate-limited (each at most
   * once a second, at most 8 a second in all), and the buyers enrolled one after another (up to
   * one epoch each), so a short warm-up can leave ~1.2 s stalls (the buyer's retry) in the first
   * cells. Done when a 1 s round at one worker per buyer node has no request slower than
   * 1 s and no error (at most 30 s more).
   */
  private void warmPrivatePath() throws InterruptedException {
    long t0 = System.nanoTime();
    int workers = Math.max(4, buyerCount);
    drive(workers, Math.max(5, warmup * 2), w -> viaBuyer(w, PROMPT, true));
    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int rounds = 0;
    while (true) {
      Cell c = drive(workers, 1, w -> viaBuyer(w, PROMPT, true));
      rounds++;
      long[] total = column(c, 1);
      boolean clean = c.errors.sum() == 0 && total.length > 0 && total[total.length - 1] < TimeUnit.SECONDS.toNanos(1);
      if (clean || System.nanoTime() > limit) {
        System.out.printf(
            Locale.ROOT, "private path warm-up: %.0f s (%s after %d check round(s))%n",
            (System.nanoTime() - t0) / 1e9, clean ? "no stalls" : "still stalling", rounds);
        return;
      }
    }
  }

  /**
   * Latency below saturation: the same streamed request, offered at each {@code --rates} value by
   * {@code pacedClients} concurrent clients, direct and private in turn; one table row per rate.
   */
  private void pacedTable() throws InterruptedException {
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

  /**
   * Profiling aid (run under JFR): after the warm-up, only the private path at the first concurrency level, with
   * {@code -Dbench.profile=stream} the 12-word streamed request, {@code =tokens} the 256-token
   * stream (per-token costs), any other value the 12-word non-streamed request.
   */
  private void profile(String mode) throws InterruptedException {
    if (mode.equals("paced")) {
      // The open-loop cells alone: direct and private at each --rates value. In the full run they
      // come after minutes of closed-loop load; here both paths first get 20 s of it (JIT), or the
      // paced cells measure compilation.
      drive(pacedClients, 20, w -> direct(PROMPT, true));
      drive(pacedClients, 20, w -> viaBuyer(w, PROMPT, true));
      pacedTable();
      return;
    }
    boolean tokens = mode.equals("tokens");
    boolean stream = tokens || mode.equals("stream");
    String prompt = tokens ? longPrompt() : PROMPT;
    Cell c = measure(levels[0], w -> viaBuyer(w, prompt, stream));
    report(PRIVATE, stream ? "stream" : "non-stream", levels[0], c);
    if (tokens) {
      System.out.printf(Locale.ROOT, "per token after the first: %.1f µs%n", perToken(c));
    }
    long[] pv = SellerProbe.sorted(probe.proofVerify);
    System.out.printf(Locale.ROOT, "seller proof verify p50=%.3fms p99=%.3fms%n", pct(pv, 50), pct(pv, 99));
    System.out.println(
        "seller p50: time to first token " + SellerProbe.p50(probe.timeToFirstToken) + ", upstream "
            + SellerProbe.p50(probe.upstream) + ", total " + SellerProbe.p50(probe.total));
  }

  /**
   * Model-paced upstream: the echo waits {@code tokenDelayMs} before each content piece, like a
   * model server producing 1000/N tokens/s per stream; streamed 12-word answers, closed loop, at
   * every concurrency level above 1, direct, plain relay and private. The paths are warm by now, so
   * each cell gets a short warm-up (connections at the new concurrency, at most 0.5 s) and a quarter
   * of the main cells' measured time (at least 1 s), to keep the run short; set
   * {@code --model-paced-seconds} for steadier p99s (at concurrency 16 a 1 s cell holds only ~120
   * requests).
   */
  private void modelPaced() throws InterruptedException {
    int d = tokenDelayMs;
    long warmMillis = Math.min(500L, warmup * 1_000L);
    long runMillis = modelPacedSeconds > 0 ? modelPacedSeconds * 1_000L : Math.max(1_000L, seconds * 250L);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "model-paced upstream (echo token_delay_ms %d, ≈ %.0f tokens/s per stream), streamed, closed loop, %.1f s measured per cell after %.1f s warm-up:%n",
        d, 1000.0 / d, runMillis / 1e3, warmMillis / 1e3);
    System.out.println("| path | concurrency | requests/s | TTFT p50 ms | TTFT p99 ms | total p50 ms | CPU ms/request | added TTFT p50 ms | added TTFT p99 ms | errors |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int c : levels) {
      if (c <= 1) {
        continue;
      }
      driveMillis(c, warmMillis, w -> direct(PROMPT, true, d));
      Cell dc = driveMillis(c, runMillis, w -> direct(PROMPT, true, d));
      double[] dt = ttft(dc);
      pacedRow(DIRECT, c, dc, null);
      driveMillis(c, warmMillis, w -> viaPlain(PROMPT, true, d));
      pacedRow(PLAIN, c, driveMillis(c, runMillis, w -> viaPlain(PROMPT, true, d)), dt);
      driveMillis(c, warmMillis, w -> viaBuyer(w, PROMPT, true, d));
      pacedRow(PRIVATE, c, driveMillis(c, runMillis, w -> viaBuyer(w, PROMPT, true, d)), dt);
    }
  }

  /** One row of the model-paced table; {@code directTtft} (p50, p99) null for the direct row itself. */
  private void pacedRow(String path, int c, Cell cell, double[] directTtft) {
    double[] t = ttft(cell);
    System.out.printf(
        Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n",
        path, c, cell.samples.size() / cell.seconds, t[0], t[1], pct(column(cell, 1), 50),
        cell.samples.isEmpty() ? Double.NaN : cell.cpuNanos / 1e6 / cell.samples.size(),
        directTtft == null ? "–" : String.format(Locale.ROOT, "%.2f", t[0] - directTtft[0]),
        directTtft == null ? "–" : String.format(Locale.ROOT, "%.2f", t[1] - directTtft[1]),
        errors(cell));
    System.out.flush();
  }

  /** TTFT p50 and p99 of a cell, ms. */
  static double[] ttft(Cell c) {
    long[] t = column(c, 0);
    return new double[] {pct(t, 50), pct(t, 99)};
  }

  /** The errors column: the count, then the count of each kind. */
  static String errors(Cell cell) {
    String errs = Long.toString(cell.errors.sum());
    if (!cell.errorKinds.isEmpty()) {
      StringBuilder b = new StringBuilder(errs).append(" (");
      cell.errorKinds.forEach((k, v) -> b.append(k).append(": ").append(v.sum()).append("; "));
      errs = b.substring(0, b.length() - 2) + ")";
    }
    return errs;
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
    String errs = errors(cell);
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
