package org.openshard.bridge.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReceiptStoreTest {
  @Test
  void evictsLeastRecentlyUsedAndExpires() {
    Instant[] now = {Instant.ofEpochSecond(1_000)};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId z) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    ReceiptStore s = new ReceiptStore(2, Duration.ofSeconds(60), clock);
    s.put("a", new byte[] {1});
    s.put("b", new byte[] {2});
    assertTrue(s.get("a").isPresent()); // a is now most recently used
    s.put("c", new byte[] {3});
    assertTrue(s.get("b").isEmpty(), "b was least recently used");
    assertEquals(1, s.get("a").orElseThrow()[0]);
    now[0] = now[0].plusSeconds(61);
    assertTrue(s.get("c").isEmpty(), "expired");
  }
}
