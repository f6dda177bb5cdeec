package org.openshard.seller.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.LoadReport;
import org.openshard.seller.pipeline.RequestRecord;

class LoadTrackerTest {
  /** A clock tests move by hand. */
  static final class ManualClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  private static RequestRecord record(Instant at, long ttftMs, ErrorCode error) {
    return new RequestRecord(at, "", "o", error, null, 0, null, ttftMs < 0 ? null : Duration.ofMillis(ttftMs), null, Duration.ofMillis(1));
  }

  @Test
  void admitsUpToCapacity() {
    LoadTracker t = new LoadTracker(2, Duration.ofMinutes(1), Clock.systemUTC());
    assertTrue(t.tryEnter());
    assertTrue(t.tryEnter());
    assertFalse(t.tryEnter());
    assertEquals(2, t.snapshot().getInFlight());
    t.exit();
    assertTrue(t.tryEnter());
    t.exit();
    t.exit();
    assertEquals(0, t.inFlight());
    assertThrows(IllegalStateException.class, t::exit);
    assertThrows(IllegalArgumentException.class, () -> new LoadTracker(0, Duration.ofMinutes(1), Clock.systemUTC()));
  }

  @Test
  void reportsPercentilesAndSellerSideErrorRateOverTheWindow() {
    ManualClock clock = new ManualClock();
    LoadTracker t = new LoadTracker(8, Duration.ofMinutes(5), clock);
    for (int i = 1; i <= 100; i++) {
      t.finished(record(clock.instant(), i * 10, null));
    }
    t.finished(record(clock.instant(), -1, ErrorCode.UPSTREAM_ERROR));
    t.finished(record(clock.instant(), -1, ErrorCode.PROOF_INVALID));
    t.finished(record(clock.instant(), -1, ErrorCode.UPSTREAM_TIMEOUT));
    t.finished(record(clock.instant(), -1, ErrorCode.CANCELLED));
    LoadReport r = t.snapshot();
    assertEquals(8, r.getCapacity());
    assertEquals(500, r.getLatencyP50Ms());
    assertEquals(990, r.getLatencyP99Ms());
    assertEquals(104, r.getRecentRequests());
    assertEquals(2.0 / 104, r.getErrorRate(), 1e-12);

    clock.advance(Duration.ofMinutes(3));
    t.finished(record(clock.instant(), 7, ErrorCode.INTERNAL));
    clock.advance(Duration.ofMinutes(3));
    LoadReport later = t.snapshot();
    assertEquals(1, later.getRecentRequests());
    assertEquals(7, later.getLatencyP50Ms());
    assertEquals(1.0, later.getErrorRate());
    clock.advance(Duration.ofMinutes(10));
    LoadReport empty = t.snapshot();
    assertEquals(0, empty.getRecentRequests());
    assertEquals(0, empty.getLatencyP99Ms());
    assertEquals(0.0, empty.getErrorRate());
  }

  @Test
  void percentileIsNearestRank() {
    assertEquals(0, LoadTracker.percentile(new long[0], 50));
    assertEquals(5, LoadTracker.percentile(new long[] {5}, 99));
    assertEquals(2, LoadTracker.percentile(new long[] {1, 2, 3, 4}, 50));
    assertEquals(4, LoadTracker.percentile(new long[] {1, 2, 3, 4}, 99));
  }
}
