package org.openshard.bench.registry;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.registry.metrics.RegistryMetrics;
import org.openshard.registry.service.RegistryCore;
import org.openshard.registry.store.InMemoryPeerStore;
import org.openshard.registry.store.Liveness;
import org.openshard.registry.store.PeerCounts;
import org.openshard.registry.store.PeerStore;
import org.openshard.registry.store.RegisterResult;
import org.openshard.registry.store.redis.RedisPeerStore;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.RedisServer;

/**
 * Registry load harness (not JMH, not a test): 100,000 peers over 1,000 service ids; heartbeat
 * ingest through the service/store path and over real gRPC streams, and Discover latency, for the
 * in-memory store and for Redis (a private redis-server). Bounded in time; prints a Markdown table.
 *
 * <pre>
 * java -cp ... org.openshard.bench.registry.RegistryLoadHarness [--peers N] [--services N]
 *     [--seconds S] [--discovers N] [--limit N] [--threads N] [--streams N] [--no-redis]
 * </pre>
 */
public final class RegistryLoadHarness {
  /** Pings a client stream keeps in flight (sent, not yet acked). */
  private static final int PIPELINE = 64;
  private int peers = 100_000;
  private int services = 1_000;
  private int seconds = 5;
  private int discovers = 20_000;
  private int limit = 20;
  private int threads = 4;
  private int streams = 4;
  private boolean redis = true;
  private final List<String[]> rows = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    RegistryLoadHarness h = new RegistryLoadHarness();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--peers": h.peers = Integer.parseInt(args[++i]); break;
        case "--services": h.services = Integer.parseInt(args[++i]); break;
        case "--seconds": h.seconds = Integer.parseInt(args[++i]); break;
        case "--discovers": h.discovers = Integer.parseInt(args[++i]); break;
        case "--limit": h.limit = Integer.parseInt(args[++i]); break;
        case "--threads": h.threads = Integer.parseInt(args[++i]); break;
        case "--streams": h.streams = Integer.parseInt(args[++i]); break;
        case "--no-redis": h.redis = false; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    h.run();
    System.exit(0);
  }

  private void run() throws Exception {
    long start = System.nanoTime();
    System.out.printf(Locale.ROOT, "building %,d synthetic peers over %,d service ids...%n", peers, services);
    SyntheticPeers data = new SyntheticPeers(peers, services, 42);
    // A long window: nothing expires while the harness runs.
    RegistryConfig config =
        RegistryConfig.builder().heartbeatInterval(Duration.ofSeconds(10)).missedHeartbeats(60).build();

    measure("in-memory", new InMemoryPeerStore(config.antiReplayRetentionMs()), data, config, threads, discovers, List.of(streams, 8 * streams));
    if (redis) {
      try (RedisServer server = RedisServer.startPrivate()) {
        PeerStore store = RedisPeerStore.connect(server.uri(), "bench:", config.antiReplayRetentionMs());
        // Each Redis operation is a round trip: more client threads keep the server busy.
        measure("redis", store, data, config, Math.max(threads, 16), Math.min(discovers, 5_000), List.of(streams, 8 * streams));
      }
    }
    System.out.println();
    System.out.println("| store | measurement | result |");
    System.out.println("|---|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
    }
    System.out.printf(Locale.ROOT, "%ntotal time %.1f s; %d cores available%n", (System.nanoTime() - start) / 1e9,
        Runtime.getRuntime().availableProcessors());
  }

  private void row(String store, String what, String result) {
    rows.add(new String[] {store, what, result});
    System.out.printf(Locale.ROOT, "  %-10s %-55s %s%n", store, what, result);
  }

  private void measure(
      String name, PeerStore store, SyntheticPeers data, RegistryConfig config, int workers, int nDiscover, List<Integer> streamCounts)
      throws Exception {
    RegistryMetrics metrics = new RegistryMetrics(() -> new PeerCounts(0, 0), () -> 0);
    RegistryCore core = new RegistryCore(config, store, metrics);
    System.out.println(name + ": populating...");
    long t0 = System.nanoTime();
    populate(store, data, config, workers);
    double popSecs = (System.nanoTime() - t0) / 1e9;
    row(name, String.format(Locale.ROOT, "populate %,d peers (store.register, %d threads)", peers, workers),
        String.format(Locale.ROOT, "%.1f s (%,.0f/s)", popSecs, peers / popSecs));

    System.out.println(name + ": heartbeats through RegistryCore...");
    double rate = heartbeatsDirect(core, data, workers);
    row(name, String.format(Locale.ROOT, "heartbeat ingest, service path (%d threads)", workers),
        String.format(Locale.ROOT, "%,.0f heartbeats/s", rate));

    System.out.println(name + ": discover through RegistryCore...");
    long[] direct = discoverDirect(core, data, nDiscover);
    row(name, String.format(Locale.ROOT, "Discover limit %d, service path (%,d calls, 1 thread)", limit, nDiscover), percentiles(direct));

    try (RegistryServer server =
        RegistryServer.builder().listen(ListenAddress.loopback(0)).config(config).store(store, false).start()) {
      for (int n : streamCounts) {
        System.out.println(name + ": heartbeats over gRPC, " + n + " streams...");
        double grpcRate = heartbeatsGrpc(server.target(), data, n);
        row(name, String.format(Locale.ROOT, "heartbeat ingest, gRPC (%d client streams on %d channels, pipelined)", n, Math.min(n, streams)),
            String.format(Locale.ROOT, "%,.0f heartbeats/s", grpcRate));
      }
      System.out.println(name + ": discover over gRPC...");
      long[] viaGrpc = discoverGrpc(server.target(), data, Math.min(nDiscover, 5_000));
      row(name, String.format(Locale.ROOT, "Discover limit %d, gRPC round trip (%,d calls, 1 client)", limit, Math.min(nDiscover, 5_000)),
          percentiles(viaGrpc));
    }
    store.close();
  }

  private void populate(PeerStore store, SyntheticPeers data, RegistryConfig config, int workers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      fs.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < peers; i = next.getAndIncrement()) {
                  long now = System.currentTimeMillis();
                  store.register(data.records[i], data.tokens[i], new Liveness(LoadReport.getDefaultInstance(), now, now + config.livenessWindowMs()));
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
  }

  private double heartbeatsDirect(RegistryCore core, SyntheticPeers data, int workers) throws Exception {
    HeartbeatPing[] pings = pings(data);
    // Warm-up.
    for (int i = 0; i < Math.min(50_000, peers); i++) {
      core.heartbeat(pings[i]);
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(workers);
    List<Thread> ts = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int offset = w * (peers / workers);
      Thread t =
          new Thread(
              () -> {
                long n = 0;
                int i = offset;
                ready.countDown();
                try {
                  while (!stop.get()) {
                    core.heartbeat(pings[i]);
                    n++;
                    if (++i == peers) {
                      i = 0;
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                done.addAndGet(n);
              });
      t.start();
      ts.add(t);
    }
    ready.await();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : ts) {
      t.join();
    }
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static HeartbeatPing[] pings(SyntheticPeers data) {
    HeartbeatPing[] pings = new HeartbeatPing[data.peerIds.length];
    for (int i = 0; i < pings.length; i++) {
      pings[i] =
          HeartbeatPing.newBuilder()
              .setPeerId(data.peerIds[i])
              .setHeartbeatToken(com.google.protobuf.ByteString.copyFrom(data.tokens[i].toBytes()))
              .setSequence(i)
              .setLoad(data.loads[i])
              .build();
    }
    return pings;
  }

  private double heartbeatsGrpc(String target, SyntheticPeers data, int nStreams) throws Exception {
    HeartbeatPing[] pings = pings(data);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acks = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<ManagedChannel> channels = new ArrayList<>();
    List<CountDownLatch> finished = new ArrayList<>();
    AtomicBoolean counting = new AtomicBoolean();
    for (int c = 0; c < Math.min(nStreams, streams); c++) {
      channels.add(NettyChannelBuilder.forTarget(target).usePlaintext().build());
    }
    for (int s = 0; s < nStreams; s++) {
      ManagedChannel ch = channels.get(s % channels.size());
      CountDownLatch fin = new CountDownLatch(1);
      finished.add(fin);
      int offset = s * (peers / nStreams);
      RegistryGrpc.newStub(ch)
          .heartbeat(
              new ClientResponseObserver<HeartbeatPing, HeartbeatAck>() {
                private ClientCallStreamObserver<HeartbeatPing> out;
                private int i = offset;
                private int outstanding;
                private boolean completed;

                @Override
                public void beforeStart(ClientCallStreamObserver<HeartbeatPing> rs) {
                  out = rs;
                  rs.setOnReadyHandler(this::pump);
                }

                /** Keeps up to PIPELINE pings in flight; runs on the call's serialized executor. */
                private void pump() {
                  while (!completed && out.isReady() && outstanding < PIPELINE) {
                    if (stop.get()) {
                      completed = true;
                      out.onCompleted();
                      return;
                    }
                    out.onNext(pings[i]);
                    outstanding++;
                    if (++i == peers) {
                      i = 0;
                    }
                  }
                }

                @Override
                public void onNext(HeartbeatAck value) {
                  outstanding--;
                  if (counting.get()) {
                    acks.incrementAndGet();
                  }
                  pump();
                }

                @Override
                public void onError(Throwable t) {
                  if (errors.incrementAndGet() == 1 && !stop.get()) {
                    System.out.println("  heartbeat stream failed: " + io.grpc.Status.fromThrowable(t));
                  }
                  fin.countDown();
                }

                @Override
                public void onCompleted() {
                  fin.countDown();
                }
              });
    }
    Thread.sleep(1_000); // warm-up
    counting.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long n = acks.get();
    double secs = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    counting.set(false);
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
      ch.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (errors.get() > 0) {
      System.out.println("  (" + errors.get() + " streams ended with an error at shutdown)");
    }
    return n / secs;
  }

  private long[] discoverDirect(RegistryCore core, SyntheticPeers data, int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < Math.min(2_000, n); i++) {
      core.discover(DiscoverRequest.newBuilder().setServiceId(data.services[rnd.nextInt(services)]).setLimit(limit).build());
    }
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      DiscoverRequest r = DiscoverRequest.newBuilder().setServiceId(data.services[rnd.nextInt(services)]).setLimit(limit).build();
      long t0 = System.nanoTime();
      int got = core.discover(r).getPeersCount();
      lat[i] = System.nanoTime() - t0;
      if (got != Math.min(limit, peers / services)) {
        throw new IllegalStateException("discover returned " + got + " peers");
      }
    }
    return lat;
  }

  private long[] discoverGrpc(String target, SyntheticPeers data, int n) throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      RegistryGrpc.RegistryBlockingStub stub = RegistryGrpc.newBlockingStub(ch);
      SplittableRandom rnd = new SplittableRandom(11);
      for (int i = 0; i < Math.min(1_000, n); i++) {
        stub.discover(DiscoverRequest.newBuilder().setServiceId(data.services[rnd.nextInt(services)]).setLimit(limit).build());
      }
      long[] lat = new long[n];
      for (int i = 0; i < n; i++) {
        DiscoverRequest r = DiscoverRequest.newBuilder().setServiceId(data.services[rnd.nextInt(services)]).setLimit(limit).build();
        long t0 = System.nanoTime();
        stub.discover(r);
        lat[i] = System.nanoTime() - t0;
      }
      return lat;
    } finally {
      ch.shutdownNow();
    }
  }

  private static String percentiles(long[] nanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return String.format(
        Locale.ROOT,
        "p50 %.3f ms, p99 %.3f ms, max %.2f ms",
        s[(int) (s.length * 0.50)] / 1e6,
        s[Math.min(s.length - 1, (int) (s.length * 0.99))] / 1e6,
        s[s.length - 1] / 1e6);
  }
}
