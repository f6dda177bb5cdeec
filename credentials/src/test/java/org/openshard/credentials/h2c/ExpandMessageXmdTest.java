package org.openshard.credentials.h2c;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExpandMessageXmdTest {
  private static final byte[] DST = "TEST-DST".getBytes(StandardCharsets.US_ASCII);

  @Test
  void prefixesAreNotStableAcrossLengths() {
    // The length is hashed into b_0, so a shorter output is not a prefix of a longer one.
    byte[] a = ExpandMessageXmd.expand("m".getBytes(StandardCharsets.US_ASCII), DST, 32);
    byte[] b = ExpandMessageXmd.expand("m".getBytes(StandardCharsets.US_ASCII), DST, 64);
    assertEquals(32, a.length);
    assertEquals(64, b.length);
    assertEquals(false, Arrays.equals(a, Arrays.copyOf(b, 32)));
  }

  @Test
  void oversizeDstIsHashedFirst() {
    byte[] longDst = new byte[300];
    Arrays.fill(longDst, (byte) 'x');
    byte[] hashedDst =
        org.openshard.crypto.Hashes.sha256("H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII), longDst);
    byte[] msg = "abc".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(ExpandMessageXmd.expand(msg, hashedDst, 48), ExpandMessageXmd.expand(msg, longDst, 48));
  }

  @Test
  void rejectsBadLengths() {
    byte[] m = new byte[0];
    assertThrows(IllegalArgumentException.class, () -> ExpandMessageXmd.expand(m, DST, 0));
    assertThrows(IllegalArgumentException.class, () -> ExpandMessageXmd.expand(m, DST, 255 * 32 + 1));
    assertThrows(IllegalArgumentException.class, () -> ExpandMessageXmd.expand(m, new byte[0], 32));
    assertEquals(255 * 32, ExpandMessageXmd.expand(m, DST, 255 * 32).length);
  }
}
