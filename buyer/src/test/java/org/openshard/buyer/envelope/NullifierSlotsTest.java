package org.openshard.buyer.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NullifierSlotsTest {
  private final NullifierSlots slots = new NullifierSlots(new SecureRandom());

  @Test
  void handsOutEverySlotOnceThenNothing() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      Optional<NullifierSlot> s = slots.reserve("a", 7, 16);
      assertTrue(s.isPresent());
      assertEquals("a", s.get().sellerId());
      assertEquals(7, s.get().epoch());
      assertTrue(s.get().slot() >= 0 && s.get().slot() < 16);
      assertTrue(seen.add(s.get().slot()), "slot reused");
    }
    assertTrue(slots.reserve("a", 7, 16).isEmpty());
    assertTrue(slots.reserve("b", 7, 16).isPresent(), "other sellers are independent");
    assertTrue(slots.reserve("a", 8, 16).isPresent(), "a new epoch starts afresh");
  }

  @Test
  void slotsAreDrawnAtRandom() {
    Set<Integer> firsts = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      firsts.add(slots.reserve("s" + i, 1, 64).get().slot());
    }
    assertTrue(firsts.size() > 5, "first slots vary: " + firsts);
  }

  @Test
  void markedSlotsAreSkipped() {
    slots.markUsed(new NullifierSlot("a", 1, 0));
    assertEquals(1, slots.reserve("a", 1, 2).get().slot());
    assertTrue(slots.reserve("a", 1, 2).isEmpty());
  }

  @Test
  void oldEpochsAreForgotten() {
    slots.reserve("a", 1, 4);
    slots.reserve("a", 2, 4);
    assertEquals(1, slots.usedCount("a", 1));
    slots.reserve("a", 3, 4);
    assertEquals(0, slots.usedCount("a", 1));
    assertEquals(1, slots.usedCount("a", 2));
    assertFalse(slots.isUsed(new NullifierSlot("a", 1, 0)) && slots.isUsed(new NullifierSlot("a", 1, 1)));
  }

  @Test
  void zeroSlotsMeansNone() {
    assertTrue(slots.reserve("a", 1, 0).isEmpty());
  }
}
