package org.openshard.credentials.replay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.openshard.credentials.Nullifier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link ReplayCache} in Redis, shared by every replica of a seller. A claim is one atomic {@code
 * SET <prefix><hex(nullifier hash)> 1 NX PX <ttl>}: "OK" means FRESH, nil means REPLAYED. The TTL is
 * computed from the local clock so that a skewed Redis clock cannot shorten it. Fails closed: any
 * connection, timeout or protocol error becomes {@link StoreUnavailableException}, never FRESH.
 */
public final class RedisReplayCache implements ReplayCache {
  public static final String DEFAULT_PREFIX = "openshard:nullifier:";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final UnifiedJedis jedis;
  private final String prefix;
  private final boolean ownsClient;
  private final Clock clock;

  /**
   * Wraps an existing client (not closed by {@link #close()} unless {@code ownsClient}).
   *
   * @param prefix key prefix, e.g. {@link #DEFAULT_PREFIX}; include the deployment name if several
   *     sellers share one Redis
   */
  public RedisReplayCache(UnifiedJedis jedis, String prefix, boolean ownsClient, Clock clock) {
    if (jedis == null || prefix == null || clock == null) {
      throw new IllegalArgumentException("jedis, prefix and clock are required");
    }
    this.jedis = jedis;
    this.prefix = prefix;
    this.ownsClient = ownsClient;
    this.clock = clock;
  }

  /**
   * Connects to {@code redis://[user:password@]host:port[/db]} (or {@code rediss://} for TLS) with
   * the given connect/read timeout. The connection is made lazily; an unreachable server surfaces as
   * {@link StoreUnavailableException} on the first claim.
   */
  public static RedisReplayCache connect(URI uri, Duration timeout, String prefix) {
    if (uri == null || uri.getHost() == null) {
      throw new IllegalArgumentException("redis URI must name a host: " + uri);
    }
    String scheme = uri.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("redis URI scheme must be redis or rediss");
    }
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .ssl("rediss".equals(scheme));
    RedisUris.applyUserInfo(uri, cfg);
    RedisUris.database(uri).ifPresent(cfg::database);
    int port = uri.getPort() > 0 ? uri.getPort() : 6379;
    RedisClient client = RedisClient.builder().hostAndPort(uri.getHost(), port).clientConfig(cfg.build()).build();
    return new RedisReplayCache(client, prefix, true, Clock.systemUTC());
  }

  @Override
  public ClaimResult claim(Nullifier nullifier, Instant expiresAt) throws StoreUnavailableException {
    long ttlMs = expiresAt.toEpochMilli() - clock.millis();
    if (ttlMs <= 0) {
      throw new IllegalArgumentException("expiresAt must be in the future");
    }
    byte[] key = (prefix + nullifier.hashHex()).getBytes(StandardCharsets.UTF_8);
    String reply;
    try {
      reply = jedis.set(key, new byte[] {'1'}, SetParams.setParams().nx().px(ttlMs));
    } catch (RuntimeException e) { // JedisException and anything else the client throws
      throw new StoreUnavailableException("redis replay store unavailable: " + e.getClass().getSimpleName(), e);
    }
    if (reply == null) {
      return ClaimResult.REPLAYED;
    }
    if ("OK".equals(reply)) {
      return ClaimResult.FRESH;
    }
    throw new StoreUnavailableException("unexpected redis reply to SET NX");
  }

  @Override
  public void close() {
    if (ownsClient) {
      jedis.close();
    }
  }
}
