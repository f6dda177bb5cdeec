package org.openshard.seller.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnchorSetsTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Long> asked = new ArrayList<>();
  private final AnchorSets sets =
      new AnchorSets(
          epoch -> {
            asked.add(epoch);
            return Optional.empty(); // not published (yet)
          },
          8,
          Duration.ofSeconds(1),
          now::get);

  @Test
  void aBurstOfNewEpochsIsFetchedAtOnce() {
    for (long e = 1; e <= AnchorSets.ON_DEMAND_BURST; e++) {
      sets.fetch(e);
    }
    assertEquals(AnchorSets.ON_DEMAND_BURST, asked.size(), "every new epoch in the burst is asked for");
  }

  @Test
  void oneEpochIsTriedAtMostOncePerInterval() {
    sets.fetch(7);
    sets.fetch(7);
    now.addAndGet(Duration.ofMillis(999).toNanos());
    sets.fetch(7);
    assertEquals(List.of(7L), asked);
    now.addAndGet(Duration.ofMillis(2).toNanos());
    sets.fetch(7);
    assertEquals(List.of(7L, 7L), asked);
  }

  @Test
  void randomEpochsCannotMakeTheSellerHammerItsRegistry() {
    for (long e = 1; e <= 1_000; e++) {
      sets.fetch(e);
    }
    assertEquals(AnchorSets.ON_DEMAND_BURST, asked.size(), "the burst, then nothing within the interval");
    // The budget refills at ON_DEMAND_BURST per interval: half an interval later, half of it.
    now.addAndGet(Duration.ofMillis(500).toNanos());
    for (long e = 2_000; e < 3_000; e++) {
      sets.fetch(e);
    }
    assertEquals(AnchorSets.ON_DEMAND_BURST + AnchorSets.ON_DEMAND_BURST / 2, asked.size());
  }
}
