package org.openshard.credentials.replay;

import java.net.URI;
import java.util.OptionalInt;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * The parts of a {@code redis://[user:password@]host:port[/db]} URI that go into a Jedis client
 * config, shared by the Redis-backed stores of several modules.
 */
public final class RedisUris {
  private RedisUris() {}

  /**
   * Sets the user and password from the URI's user info: {@code user:password}, {@code :password}
   * (password only) or {@code password}; nothing when there is no user info.
   */
  public static void applyUserInfo(URI uri, DefaultJedisClientConfig.Builder cfg) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return;
    }
    int colon = userInfo.indexOf(':');
    if (colon >= 0) {
      if (colon > 0) {
        cfg.user(userInfo.substring(0, colon));
      }
      cfg.password(userInfo.substring(colon + 1));
    } else {
      cfg.password(userInfo);
    }
  }

  /**
   * The database number of the path {@code /db}, or empty when the path names none.
   *
   * @throws NumberFormatException if the path is not a number
   */
  public static OptionalInt database(URI uri) {
    String path = uri.getPath();
    if (path == null || path.length() <= 1) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(path.substring(1)));
  }
}
