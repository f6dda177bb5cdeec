package org.openshard.credentials.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openshard.credentials.Nullifier;
import org.openshard.testing.RedisServerExtension;

class RedisReplayCacheTest {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static RedisReplayCache cache() {
    return RedisReplayCache.connect(REDIS.uri(), Duration.ofSeconds(2), REDIS.keyPrefix());
  }

  @Test
  void freshThenReplayed() throws Exception {
    try (RedisReplayCache c = cache()) {
      Nullifier a = ReplayTesting.randomNullifier();
      Instant exp = Instant.now().plusSeconds(600);
      assertEquals(ClaimResult.FRESH, c.claim(a, exp));
      assertEquals(ClaimResult.REPLAYED, c.claim(a, exp));
      assertEquals(ClaimResult.FRESH, c.claim(ReplayTesting.randomNullifier(), exp));
      assertThrows(IllegalArgumentException.class, () -> c.claim(a, Instant.now().minusSeconds(1)));
    }
  }

  @Test
  void sharedAcrossClientsAndRestartsOfTheClient() throws Exception {
    Nullifier a = ReplayTesting.randomNullifier();
    Instant exp = Instant.now().plusSeconds(600);
    try (RedisReplayCache one = cache()) {
      assertEquals(ClaimResult.FRESH, one.claim(a, exp));
    }
    try (RedisReplayCache two = cache()) {
      assertEquals(ClaimResult.REPLAYED, two.claim(a, exp));
    }
    // Another prefix is another namespace.
    try (RedisReplayCache other = RedisReplayCache.connect(REDIS.uri(), Duration.ofSeconds(2), REDIS.keyPrefix() + "x:")) {
      assertEquals(ClaimResult.FRESH, other.claim(a, exp));
    }
  }

  @Test
  void entriesExpire() throws Exception {
    try (RedisReplayCache c = cache()) {
      Nullifier a = ReplayTesting.randomNullifier();
      // Long enough that a loaded machine still makes the second claim inside the window.
      Instant expiry = Instant.now().plusMillis(1_500);
      assertEquals(ClaimResult.FRESH, c.claim(a, expiry));
      assertEquals(ClaimResult.REPLAYED, c.claim(a, Instant.now().plusSeconds(60)));
      while (Instant.now().isBefore(expiry.plusMillis(300))) {
        Thread.sleep(100);
      }
      assertEquals(ClaimResult.FRESH, c.claim(a, Instant.now().plusSeconds(60)));
    }
  }

  @Test
  void concurrentClaimsGiveExactlyOneFresh() throws Exception {
    try (RedisReplayCache c = cache()) {
      for (int round = 0; round < 20; round++) {
        assertEquals(1, ReplayTesting.concurrentFreshCount(c, ReplayTesting.randomNullifier(), Instant.now().plusSeconds(600), 8));
      }
    }
  }

  @Test
  void failsClosedWhenRedisIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (RedisReplayCache c =
        RedisReplayCache.connect(URI.create("redis://127.0.0.1:" + closedPort), Duration.ofMillis(500), "x:")) {
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> c.claim(ReplayTesting.randomNullifier(), Instant.now().plusSeconds(60)));
      assertEquals(org.openshard.proto.v1.ErrorCode.STORE_UNAVAILABLE, e.errorCode());
    }
  }

  @Test
  void rejectsBadUris() {
    assertThrows(IllegalArgumentException.class, () -> RedisReplayCache.connect(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1), "x"));
    assertThrows(IllegalArgumentException.class, () -> RedisReplayCache.connect(URI.create("redis:opaque"), Duration.ofSeconds(1), "x"));
  }
}
