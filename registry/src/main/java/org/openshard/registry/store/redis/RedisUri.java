package org.openshard.registry.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code redis://[[user]:password@]host[:port][/db]}, parsed strictly. */
record RedisUri(String host, int port, String user, String password, int database) {
  static RedisUri parse(String text) {
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad Redis URI; expected redis://host:port");
    }
    if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
      throw new IllegalArgumentException("bad Redis URI; expected redis://host:port");
    }
    int port = u.getPort() < 0 ? 6379 : u.getPort();
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String info = u.getRawUserInfo();
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info);
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = u.getPath();
    if (path != null && path.length() > 1) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad Redis database number in URI");
      }
    }
    return new RedisUri(u.getHost(), port, user, password, db);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** host:port only: never prints the password. */
  @Override
  public String toString() {
    return "redis://" + host + ":" + port + (database == 0 ? "" : "/" + database);
  }
}
