package org.openshard.bridge.replay;

import java.net.URI;
import java.time.Duration;
import org.openshard.credentials.replay.RedisUris;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Replay state in Redis, shared by every bridge replica that points at the same server: one {@code
 * SET key 1 NX PX ttl} per claim (atomic). Any Redis failure is reported as {@link
 * ReplayStoreUnavailableException}, so E2EE requests fail closed while Redis is down.
 */
public final class RedisReplayStore implements ReplayStore {
  public static final String KEY_PREFIX = "openshard:bridge:replay:";
  private final RedisClient jedis;

  private RedisReplayStore(RedisClient jedis) {
    this.jedis = jedis;
  }

  /**
   * Connects lazily to {@code redis://[user:password@]host:port[/db]} with short timeouts (the
   * constructor does not fail if Redis is down; claims do).
   */
  public static RedisReplayStore connect(String uri, Duration timeout) {
    URI u;
    try {
      u = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad Redis URI '" + uri + "'; expected redis://host:port[/db]");
    }
    if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("bad Redis URI '" + uri + "'; expected redis://host:port[/db]");
    }
    int port = u.getPort() > 0 ? u.getPort() : 6379;
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) timeout.toMillis())
            .socketTimeoutMillis((int) timeout.toMillis())
            .clientName("openshard-bridge");
    try {
      RedisUris.database(u).ifPresent(cfg::database);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad Redis database in '" + uri + "'");
    }
    RedisUris.applyUserInfo(u, cfg);
    return new RedisReplayStore(
        RedisClient.builder().hostAndPort(new HostAndPort(u.getHost(), port)).clientConfig(cfg.build()).build());
  }

  @Override
  public boolean claim(ReplayKey key, Duration ttl) throws ReplayStoreUnavailableException {
    try {
      String r = jedis.set(KEY_PREFIX + key.id(), "1", SetParams.setParams().nx().px(ttl.toMillis()));
      return "OK".equals(r);
    } catch (JedisException | IllegalStateException e) {
      throw new ReplayStoreUnavailableException("replay store (Redis) is unreachable", e);
    }
  }

  @Override
  public void close() {
    jedis.close();
  }
}
