package org.openshard.registry.store.redis;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.registry.store.DeregisterResult;
import org.openshard.registry.store.HeartbeatResult;
import org.openshard.registry.store.HeartbeatToken;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.store.Liveness;
import org.openshard.registry.store.PeerCounts;
import org.openshard.registry.store.PeerRecord;
import org.openshard.registry.store.PeerStore;
import org.openshard.registry.store.RegisterResult;
import org.openshard.registry.store.StoreEvent;
import org.openshard.registry.store.StoreEventListener;
import org.openshard.registry.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The shared store: several registry replicas serve one index in one Redis (standalone or a
 * primary; not Redis Cluster, since the scripts touch keys they compute). Every mutation is one Lua
 * script, so it is atomic and one round trip; index changes are published on a channel from inside
 * the script, so every replica's watchers see them. Key layout: {@link RedisKeys}. Any Redis failure
 * becomes a {@link StoreException}.
 */
public final class RedisPeerStore implements PeerStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPeerStore.class);
  private static final RedisScript REGISTER = RedisScript.load("register");
  private static final RedisScript HEARTBEAT = RedisScript.load("heartbeat");
  private static final RedisScript DEREGISTER = RedisScript.load("deregister");
  private static final RedisScript PRUNE = RedisScript.load("prune");
  private static final RedisScript LIVE = RedisScript.load("live");
  private static final int PRUNE_BATCH = 500;
  private static final int SCAN_BATCH = 500;

  private final JedisPooled jedis;
  private final RedisKeys keys;
  private final byte[] prefix;
  private final long antiReplayRetentionMs;
  private final RecordCache records = new RecordCache(500_000);
  private final RedisEventSubscriber subscriber;
  private final ScheduledExecutorService watchdog;
  private volatile StoreEventListener listener = event -> {};

  private RedisPeerStore(
      JedisPooled jedis, RedisUri uri, JedisClientConfig clientConfig, String prefix, long antiReplayRetentionMs) {
    this.jedis = jedis;
    this.keys = new RedisKeys(prefix);
    this.prefix = bytes(prefix);
    this.antiReplayRetentionMs = antiReplayRetentionMs;
    HostAndPort hp = new HostAndPort(uri.host(), uri.port());
    this.subscriber =
        new RedisEventSubscriber(
            () -> new Jedis(hp, clientConfig), bytes(keys.events()), this::onMessage, why -> listener.onEventsInterrupted(why));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-redis-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects, checks Redis answers and subscribes to the event channel.
   *
   * @param uri {@code redis://[[user]:password@]host[:port][/db]}
   * @throws StoreException if Redis is unreachable
   */
  public static RedisPeerStore connect(String uri, String prefix, long antiReplayRetentionMs) throws StoreException {
    RedisUri u;
    try {
      u = RedisUri.parse(uri);
    } catch (IllegalArgumentException e) {
      throw new StoreException(e.getMessage());
    }
    DefaultJedisClientConfig.Builder cb =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1_000)
            .socketTimeoutMillis(2_000)
            .database(u.database())
            .clientName("openshard-registry");
    if (u.password() != null) {
      cb.user(u.user()).password(u.password());
    }
    JedisClientConfig cc = cb.build();
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setMinIdle(0);
    pool.setMaxWait(Duration.ofSeconds(2));
    pool.setTestWhileIdle(false);
    JedisPooled j = new JedisPooled(new HostAndPort(u.host(), u.port()), cc, pool);
    try {
      j.ping();
    } catch (JedisException e) {
      j.close();
      throw new StoreException("Redis at " + u + " is unreachable: " + e.getMessage(), e);
    }
    RedisPeerStore store = new RedisPeerStore(j, u, cc, prefix, antiReplayRetentionMs);
    try {
      if (!store.subscriber.start(5_000)) {
        store.close();
        throw new StoreException("could not subscribe to the registry event channel at " + u);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      store.close();
      throw new StoreException("interrupted while subscribing to Redis");
    }
    store.watchdog.scheduleWithFixedDelay(store.subscriber::watchdog, 5, 5, TimeUnit.SECONDS);
    return store;
  }

  /** The connection pool, shared with the other registry state kept in Redis (anchor sets). */
  public JedisPooled jedis() {
    return jedis;
  }

  public RedisKeys keys() {
    return keys;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(Object o) {
    return new String((byte[]) o, StandardCharsets.UTF_8);
  }

  private static long number(Object o) {
    return (long) Double.parseDouble(text(o));
  }

  private Object run(RedisScript script, List<byte[]> args) throws StoreException {
    try {
      return script.run(jedis, args);
    } catch (JedisException e) {
      throw new StoreException("Redis " + script.name() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public RegisterResult register(PeerRecord record, HeartbeatToken token, Liveness initial) throws StoreException {
    List<byte[]> args =
        List.of(
            prefix,
            bytes(record.peerId()),
            bytes(record.timestampMs()),
            bytes(initial.lastHeartbeatMs()),
            bytes(initial.deadlineMs()),
            bytes(antiReplayRetentionMs),
            record.signed().toByteArray(),
            token.sha256(),
            initial.load().toByteArray(),
            bytes(RedisEventCodec.joinServiceIds(record.serviceIds())),
            RedisEventCodec.removedPayload(record, StoreEvent.EXPIRED),
            RedisEventCodec.removedPayload(record, StoreEvent.DEREGISTERED),
            RedisEventCodec.upsertPayload(record, initial));
    List<?> r = (List<?>) run(REGISTER, args);
    String outcome = text(r.get(0));
    switch (outcome) {
      case "A":
        return RegisterResult.added();
      case "U":
        return RegisterResult.updated();
      default:
        return RegisterResult.stale(number(r.get(1)));
    }
  }

  @Override
  public HeartbeatResult heartbeat(String peerId, HeartbeatToken token, Liveness next) throws StoreException {
    List<byte[]> args =
        List.of(
            prefix,
            bytes(peerId),
            token.sha256(),
            next.load().toByteArray(),
            bytes(next.lastHeartbeatMs()),
            bytes(next.deadlineMs()));
    String r = text(run(HEARTBEAT, args));
    switch (r) {
      case "OK":
        return HeartbeatResult.OK;
      case "BADTOKEN":
        return HeartbeatResult.BAD_TOKEN;
      default:
        return HeartbeatResult.UNKNOWN_PEER;
    }
  }

  @Override
  public DeregisterResult deregister(String peerId, long timestampMs, long nowMs) throws StoreException {
    List<byte[]> args = List.of(prefix, bytes(peerId), bytes(timestampMs), bytes(nowMs), bytes(antiReplayRetentionMs));
    List<?> r = (List<?>) run(DEREGISTER, args);
    switch (text(r.get(0))) {
      case "REMOVED":
        return DeregisterResult.removed();
      case "NONE":
        return DeregisterResult.notRegistered();
      default:
        return DeregisterResult.stale(number(r.get(1)));
    }
  }

  @Override
  public List<LivePeer> live(String serviceId, long nowMs) throws StoreException {
    if (serviceId != null && !serviceId.isEmpty()) {
      return decodeLive((List<?>) run(LIVE, List.of(prefix, bytes(nowMs), bytes(serviceId))));
    }
    // All live peers: walk the deadline index with ZSCAN (every peer present for the whole walk is
    // seen at least once), fetching each batch in one script call.
    List<LivePeer> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    ScanParams params = new ScanParams().count(SCAN_BATCH);
    String cursor = ScanParams.SCAN_POINTER_START;
    try {
      do {
        ScanResult<Tuple> page = jedis.zscan(keys.deadlines(), cursor, params);
        cursor = page.getCursor();
        List<byte[]> args = new ArrayList<>();
        args.add(prefix);
        args.add(bytes(nowMs));
        args.add(new byte[0]);
        for (Tuple t : page.getResult()) {
          if (t.getScore() >= nowMs && seen.add(t.getElement())) {
            args.add(bytes(t.getElement()));
          }
        }
        if (args.size() > 3) {
          out.addAll(decodeLive((List<?>) LIVE.run(jedis, args)));
        }
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    } catch (JedisException e) {
      throw new StoreException("Redis snapshot failed: " + e.getMessage(), e);
    }
    return out;
  }

  private List<LivePeer> decodeLive(List<?> flat) throws StoreException {
    List<LivePeer> out = new ArrayList<>(flat.size() / 5);
    for (int i = 0; i + 4 < flat.size(); i += 5) {
      String peerId = text(flat.get(i));
      try {
        PeerRecord record = records.get(peerId, (byte[]) flat.get(i + 1));
        byte[] load = (byte[]) flat.get(i + 2);
        LoadReport l = load.length == 0 ? LoadReport.getDefaultInstance() : LoadReport.parseFrom(load);
        out.add(new LivePeer(record, new Liveness(l, number(flat.get(i + 3)), number(flat.get(i + 4)))));
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        // A corrupt entry is skipped rather than failing every Discover; it expires on its own.
        LOG.warn("skipping undecodable registry entry for {}", peerId);
      }
    }
    return out;
  }

  @Override
  public int pruneExpired(long nowMs) throws StoreException {
    int total = 0;
    while (true) {
      long n = (Long) run(PRUNE, List.of(prefix, bytes(nowMs), bytes(PRUNE_BATCH)));
      total += (int) n;
      if (n < PRUNE_BATCH) {
        return total;
      }
    }
  }

  @Override
  public PeerCounts counts(long nowMs) throws StoreException {
    try {
      long live = jedis.zcount(keys.deadlines(), nowMs, Double.POSITIVE_INFINITY);
      long expired = jedis.zcount(keys.deadlines(), Double.NEGATIVE_INFINITY, Math.nextDown((double) nowMs));
      return new PeerCounts(live, expired);
    } catch (JedisException e) {
      throw new StoreException("Redis count failed: " + e.getMessage(), e);
    }
  }

  private void onMessage(byte[] message) {
    StoreEvent e;
    try {
      e = RedisEventCodec.decode(message, records);
    } catch (InvalidProtocolBufferException | RuntimeException ex) {
      LOG.warn("ignoring malformed registry event ({} bytes)", message.length);
      return;
    }
    try {
      listener.onEvent(e);
    } catch (RuntimeException ex) {
      LOG.error("registry event listener failed", ex);
    }
  }

  @Override
  public void setListener(StoreEventListener listener) {
    this.listener = listener == null ? event -> {} : listener;
  }

  @Override
  public boolean eventsConnected() {
    return subscriber.connected();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    subscriber.close();
    jedis.close();
  }

  /** Deletes every key of this store's prefix (tests and benchmarks only). */
  public void clearAll() throws StoreException {
    try {
      ScanParams params = new ScanParams().match(keys.prefix() + "*").count(1000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        cursor = page.getCursor();
        if (!page.getResult().isEmpty()) {
          jedis.del(page.getResult().toArray(new String[0]));
        }
      } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    } catch (JedisException e) {
      throw new StoreException("Redis clear failed: " + e.getMessage(), e);
    }
  }
}
