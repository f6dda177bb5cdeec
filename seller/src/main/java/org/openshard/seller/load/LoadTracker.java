package org.openshard.seller.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.proto.v1.LoadReport;
import org.openshard.seller.pipeline.RequestObserver;
import org.openshard.seller.pipeline.RequestRecord;

/**
 * The seller's live load: admits requests up to the concurrency limit and keeps a recent window of
 * finished requests for the heartbeat's load report (p50/p99 time to first token, error rate).
 * Thread-safe.
 */
public final class LoadTracker implements RequestObserver {
  /** Default window of the load report. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  private static final int MAX_SAMPLES = 4096;

  private final int capacity;
  private final Duration window;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Deque<Sample> samples = new ArrayDeque<>();

  private record Sample(Instant at, long ttftMillis, boolean fault) {}

  public LoadTracker(int capacity, Duration window, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be ≥ 1, was " + capacity);
    }
    this.capacity = capacity;
    this.window = window;
    this.clock = clock;
  }

  /** Takes a slot; false if the seller is at capacity. */
  public boolean tryEnter() {
    while (true) {
      int n = inFlight.get();
      if (n >= capacity) {
        return false;
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back. */
  public void exit() {
    if (inFlight.decrementAndGet() < 0) {
      inFlight.set(0);
      throw new IllegalStateException("exit() without tryEnter()");
    }
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public void finished(RequestRecord record) {
    long ttft = record.timeToFirstToken() == null ? -1 : record.timeToFirstToken().toMillis();
    synchronized (samples) {
      samples.addLast(new Sample(clock.instant(), ttft, record.sellerFault()));
      while (samples.size() > MAX_SAMPLES) {
        samples.removeFirst();
      }
    }
  }

  /** The load report for a heartbeat, over the recent window. */
  public LoadReport snapshot() {
    Instant cutoff = clock.instant().minus(window);
    long[] ttfts;
    int n;
    int faults = 0;
    int withTtft = 0;
    synchronized (samples) {
      while (!samples.isEmpty() && samples.peekFirst().at().isBefore(cutoff)) {
        samples.removeFirst();
      }
      n = samples.size();
      ttfts = new long[n];
      for (Sample s : samples) {
        if (s.fault()) {
          faults++;
        }
        if (s.ttftMillis() >= 0) {
          ttfts[withTtft++] = s.ttftMillis();
        }
      }
    }
    long[] sorted = Arrays.copyOf(ttfts, withTtft);
    Arrays.sort(sorted);
    return LoadReport.newBuilder()
        .setInFlight(inFlight.get())
        .setCapacity(capacity)
        .setLatencyP50Ms(clamp(percentile(sorted, 50)))
        .setLatencyP99Ms(clamp(percentile(sorted, 99)))
        .setErrorRate(n == 0 ? 0.0 : (double) faults / n)
        .setRecentRequests(n)
        .build();
  }

  /** Nearest-rank percentile of sorted values (0 if none). */
  static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static int clamp(long v) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, v));
  }
}
