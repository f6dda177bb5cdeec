package org.openshard.bench.inference;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.openshard.seller.pipeline.RequestObserver;
import org.openshard.seller.pipeline.RequestRecord;

/**
 * What the sellers of the harness report per request (the seller's {@link RequestObserver}): ring
 * proof verification time and, for successful requests, the seller's own time to first token,
 * upstream time and total, in nanoseconds. Shared by every seller of the run.
 */
final class SellerProbe implements RequestObserver {
  final ConcurrentLinkedQueue<Long> proofVerify = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> timeToFirstToken = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> upstream = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Long> total = new ConcurrentLinkedQueue<>();

  @Override
  public void proofVerified(Duration elapsed) {
    proofVerify.add(elapsed.toNanos());
  }

  @Override
  public void finished(RequestRecord record) {
    if (record.ok()) {
      timeToFirstToken.add(record.timeToFirstToken().toNanos());
      upstream.add(record.upstream().toNanos());
      total.add(record.total().toNanos());
    }
  }

  /** Sorted values of {@code q}, ns. */
  static long[] sorted(Collection<Long> q) {
    return q.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** The median of {@code q} as "x.xxx ms", or "n/a" if empty. */
  static String p50(Collection<Long> q) {
    long[] a = sorted(q);
    return a.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f ms", PrivateInferenceBench.pct(a, 50));
  }
}
