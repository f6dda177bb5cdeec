package org.openshard.credentials.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.Fixtures;

class RingSelectorTest {
  private static final Fixtures POP = Fixtures.population(20, 1);

  @Test
  void ringContainsOwnAnchorSortedAndDistinct() throws Exception {
    for (int trial = 0; trial < 200; trial++) {
      BuyerCredential own = POP.credentials.get(trial % 20);
      int size = 1 + trial % 20;
      List<Integer> ring = RingSelector.choose(POP.set, own.anchor(), size, Fixtures.RANDOM);
      assertEquals(size, ring.size());
      assertTrue(ring.contains(POP.set.indexOf(own.anchor())));
      for (int i = 1; i < ring.size(); i++) {
        assertTrue(ring.get(i) > ring.get(i - 1));
      }
      assertTrue(ring.get(0) >= 0 && ring.get(ring.size() - 1) < POP.set.size());
    }
  }

  @Test
  void clampsToTheSetSize() throws Exception {
    List<Integer> ring = RingSelector.choose(POP.set, POP.credentials.get(0).anchor(), 64, Fixtures.RANDOM);
    assertEquals(POP.set.size(), ring.size());
  }

  @Test
  void everyOtherMemberIsReachable() throws Exception {
    // Rings of 2 from a set of 20: each of the 19 others should appear about 1/19 of the time.
    BuyerCredential own = POP.credentials.get(3);
    int ownIndex = POP.set.indexOf(own.anchor());
    int[] counts = new int[POP.set.size()];
    int trials = 19_000;
    for (int t = 0; t < trials; t++) {
      for (int idx : RingSelector.choose(POP.set, own.anchor(), 2, Fixtures.RANDOM)) {
        counts[idx]++;
      }
    }
    assertEquals(trials, counts[ownIndex]);
    for (int i = 0; i < counts.length; i++) {
      if (i != ownIndex) {
        // Expected 1000; 6 sigma is about 185.
        assertTrue(counts[i] > 800 && counts[i] < 1200, "index " + i + " chosen " + counts[i] + " times");
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    BuyerCredential stranger = BuyerCredential.generate();
    assertEquals(
        Reason.INVALID_ARGUMENT,
        assertThrows(CredentialException.class, () -> RingSelector.choose(POP.set, stranger.anchor(), 4, Fixtures.RANDOM)).reason());
    assertEquals(
        Reason.INVALID_ARGUMENT,
        assertThrows(CredentialException.class, () -> RingSelector.choose(POP.set, POP.credentials.get(0).anchor(), 0, Fixtures.RANDOM)).reason());
    assertEquals(
        Reason.LIMIT_EXCEEDED,
        assertThrows(CredentialException.class, () -> RingSelector.choose(POP.set, POP.credentials.get(0).anchor(), 65, Fixtures.RANDOM)).reason());
  }
}
