package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.testing.RedisServer;

/** The store contract against a real redis-server (started privately, or OPENSHARD_TEST_REDIS). */
class RedisChannelStoreTest extends ChannelStoreContract {
  static RedisServer redis;
  String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startOrShared();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void uniquePrefix() {
    prefix = "test:pay:" + Bytes.hex(SecureRandoms.bytes(6)) + ":";
  }

  @Override
  ChannelStore newStore() {
    return RedisChannelStore.connect(redis.uri(), prefix);
  }

  @Override
  ChannelStore reopen() {
    return RedisChannelStore.connect(redis.uri(), prefix);
  }

  @Test
  void unreachableRedisFailsClosed() {
    try (ChannelStore s = RedisChannelStore.connect("redis://127.0.0.1:" + org.openshard.testing.Ports.free(), prefix)) {
      ChannelId id = ChannelId.random();
      assertEquals(PaymentException.Reason.STORE_UNAVAILABLE,
          assertThrows(PaymentException.class, () -> s.createIfAbsent(fresh(id, 1))).reason());
    }
  }
}
