package org.openshard.credentials.anchors;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A seller-side {@link AnchorSetView}: the anchor sets fetched from a trusted registry, keeping the
 * newest {@code retain} epochs so that proofs made against a slightly older set still verify.
 * Thread-safe.
 */
public final class TrustedAnchorSets implements AnchorSetView {
  private final int retain;
  private final ConcurrentSkipListMap<Long, AnchorSet> sets = new ConcurrentSkipListMap<>();

  public TrustedAnchorSets(int retain) {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be ≥ 1");
    }
    this.retain = retain;
  }

  /** Adds (or replaces) a set and drops epochs beyond the newest {@code retain}. */
  public synchronized void add(AnchorSet set) {
    sets.put(set.epoch(), set);
    while (sets.size() > retain) {
      sets.pollFirstEntry();
    }
  }

  @Override
  public Optional<AnchorSet> byEpoch(long epoch) {
    return Optional.ofNullable(sets.get(epoch));
  }

  public Optional<AnchorSet> latest() {
    Map.Entry<Long, AnchorSet> e = sets.lastEntry();
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }
}
