package org.openshard.testing;

import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for a test class. Register as a static field:
 *
 * <pre>
 * &#64;RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
 * </pre>
 *
 * Uses {@link RedisServer#startOrShared()}: the server named by {@code OPENSHARD_TEST_REDIS}, else a
 * private {@code redis-server} on a free loopback port, stopped after the class. If redis-server is
 * missing the tests FAIL, unless {@code OPENSHARD_SKIP_REDIS_TESTS=1}, which skips them. Tests
 * isolate their keys with {@link #keyPrefix()}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  public static final String ENV_SKIP = "OPENSHARD_SKIP_REDIS_TESTS";

  private RedisServer server;
  private final String keyPrefix = "openshard-test:" + UUID.randomUUID() + ":";

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      server = RedisServer.startOrShared();
    } catch (IOException e) {
      if ("1".equals(System.getenv(ENV_SKIP))) {
        Assumptions.abort("no Redis (" + e.getMessage() + ") and " + ENV_SKIP + "=1");
      }
      Assertions.fail(e.getMessage() + "; or set " + ENV_SKIP + "=1 to skip the Redis tests", e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  public RedisServer server() {
    return server;
  }

  public URI uri() {
    return URI.create(server.uri());
  }

  public String keyPrefix() {
    return keyPrefix;
  }
}
