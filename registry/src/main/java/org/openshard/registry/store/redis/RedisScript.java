package org.openshard.registry.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** A Lua script run by digest (EVALSHA), loaded on first use or after a Redis restart (EVAL). */
final class RedisScript {
  private final String name;
  private final byte[] source;
  private final byte[] sha1;

  private RedisScript(String name, byte[] source) {
    this.name = name;
    this.source = source;
    try {
      this.sha1 =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source)).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads {@code <name>.lua} from this package's resources. */
  static RedisScript load(String name) {
    try (InputStream in = RedisScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script resource " + name + ".lua");
      }
      return new RedisScript(name, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  Object run(UnifiedJedis jedis, List<byte[]> args) {
    try {
      return jedis.evalsha(sha1, List.of(), args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(source, List.of(), args);
    }
  }
}
