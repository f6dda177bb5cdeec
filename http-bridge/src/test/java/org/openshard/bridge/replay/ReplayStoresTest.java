package org.openshard.bridge.replay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openshard.testing.MutableClock;
import org.openshard.testing.RedisServer;

class ReplayStoresTest {

  @Test
  void keysFrameTheirParts() {
    assertNotEquals(ReplayKey.of("s", new byte[] {1, 2}, new byte[] {3}), ReplayKey.of("s", new byte[] {1}, new byte[] {2, 3}));
    assertNotEquals(ReplayKey.of("a", "x"), ReplayKey.of("b", "x"));
  }

  @Test
  void inMemoryClaimsOnceUntilExpiry() throws Exception {
    MutableClock clock = new MutableClock(1_000_000);
    InMemoryReplayStore s = new InMemoryReplayStore(clock, 10);
    ReplayKey k = ReplayKey.of("t", "n1");
    assertTrue(s.claim(k, Duration.ofSeconds(300)));
    assertFalse(s.claim(k, Duration.ofSeconds(300)));
    clock.advanceMillis(299_000);
    assertFalse(s.claim(k, Duration.ofSeconds(300)));
    clock.advanceMillis(1_000);
    assertTrue(s.claim(k, Duration.ofSeconds(300)), "expired tuples can be claimed again");
  }

  @Test
  void inMemoryFailsClosedWhenFull() throws Exception {
    MutableClock clock = new MutableClock(0);
    InMemoryReplayStore s = new InMemoryReplayStore(clock, 2);
    assertTrue(s.claim(ReplayKey.of("t", "1"), Duration.ofSeconds(10)));
    assertTrue(s.claim(ReplayKey.of("t", "2"), Duration.ofSeconds(10)));
    assertThrows(ReplayStoreUnavailableException.class, () -> s.claim(ReplayKey.of("t", "3"), Duration.ofSeconds(10)));
    clock.advanceMillis(10_000);
    assertTrue(s.claim(ReplayKey.of("t", "3"), Duration.ofSeconds(10)), "expired entries are purged to make room");
  }

  @Test
  void redisClaimsOnceAcrossClientsAndFailsClosedWhenDown() throws Exception {
    try (RedisServer redis = RedisServer.startPrivate()) {
      RedisReplayStore a = RedisReplayStore.connect(redis.uri(), Duration.ofSeconds(1));
      RedisReplayStore b = RedisReplayStore.connect(redis.uri(), Duration.ofSeconds(1));
      ReplayKey k = ReplayKey.of("t", "shared-" + System.nanoTime());
      assertTrue(a.claim(k, Duration.ofSeconds(300)));
      assertFalse(b.claim(k, Duration.ofSeconds(300)));
      ReplayKey shortLived = ReplayKey.of("t", "short-" + System.nanoTime());
      assertTrue(a.claim(shortLived, Duration.ofMillis(50)));
      Thread.sleep(200);
      assertTrue(b.claim(shortLived, Duration.ofMillis(50)), "PX expiry is honoured");
      redis.close();
      assertThrows(ReplayStoreUnavailableException.class, () -> a.claim(ReplayKey.of("t", "after"), Duration.ofSeconds(1)));
      a.close();
      b.close();
    }
  }
}
