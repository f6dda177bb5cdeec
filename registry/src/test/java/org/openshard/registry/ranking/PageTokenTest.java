package org.openshard.registry.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageTokenTest {
  private static final String PEER = "0x" + "ab".repeat(20);

  @Test
  void roundTrips() {
    PageToken t = new PageToken(-42L, 1_700_000_000_000L, 0.123456789, PEER);
    assertEquals(t, PageToken.decode(t.encode()).orElseThrow());
  }

  @Test
  void refusesGarbage() {
    String good = new PageToken(1, 2, 0.5, PEER).encode();
    assertTrue(PageToken.decode("").isEmpty());
    assertTrue(PageToken.decode("not base64 !").isEmpty());
    assertTrue(PageToken.decode(good.substring(0, good.length() - 4)).isEmpty());
    assertTrue(PageToken.decode(good + "AAAA").isEmpty());
    assertTrue(PageToken.decode("A".repeat(200)).isEmpty());
    assertTrue(PageToken.decode(new PageToken(1, 2, Double.NaN, PEER).encode()).isEmpty());
    assertTrue(PageToken.decode(new PageToken(1, 2, 0.5, "0x" + "AB".repeat(20)).encode()).isEmpty());
    assertTrue(PageToken.decode(new PageToken(1, 0, 0.5, PEER).encode()).isEmpty());
  }
}
