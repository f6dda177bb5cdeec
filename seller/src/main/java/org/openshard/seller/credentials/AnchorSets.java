package org.openshard.seller.credentials;

import java.util.Objects;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.anchors.AnchorSetView;
import org.openshard.credentials.anchors.TrustedAnchorSets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchor sets the seller verifies ring proofs against, fetched from its registry (the registry
 * publishes them; their digests are recomputed on arrival). Keeps the newest {@code retain} epochs;
 * refreshed periodically and, rate-limited, when a proof names an epoch the seller has not seen:
 * each epoch at most once per interval, and at most {@value #ON_DEMAND_BURST} on-demand fetches per
 * interval in all (a token bucket), so a burst of new buyers on new epochs is served at once while
 * envelopes naming random epochs cannot make the seller hammer its registry. Thread-safe.
 */
public final class AnchorSets {
  private static final Logger LOG = LoggerFactory.getLogger(AnchorSets.class);

  /** Where published anchor sets come from (epoch 0 = the latest). */
  @FunctionalInterface
  public interface Source {
    Optional<org.openshard.proto.v1.AnchorSet> get(long epoch) throws Exception;
  }

  private final Source source;
  private final TrustedAnchorSets trusted;
  private final int retain;
  /** On-demand fetches allowed in one interval, in all epochs together. */
  static final int ON_DEMAND_BURST = 8;
  /** Epochs whose last on-demand attempt is remembered (oldest forgotten first). */
  private static final int ATTEMPTS_REMEMBERED = 64;

  private final long minFetchIntervalNanos;
  private final LongSupplier nanoTime;
  // Guarded by this.
  private final LinkedHashMap<Long, Long> lastAttempt = new LinkedHashMap<>(16, 0.75f, false);
  private double tokens = ON_DEMAND_BURST;
  private long tokensAt;

  public AnchorSets(Source source, int retain, java.time.Duration minOnDemandInterval) {
    this(source, retain, minOnDemandInterval, System::nanoTime);
  }

  AnchorSets(Source source, int retain, java.time.Duration minOnDemandInterval, LongSupplier nanoTime) {
    this.source = Objects.requireNonNull(source, "source");
    this.retain = retain;
    this.trusted = new TrustedAnchorSets(retain);
    this.minFetchIntervalNanos = minOnDemandInterval.toNanos();
    this.nanoTime = nanoTime;
    this.tokensAt = nanoTime.getAsLong();
  }

  /** Fixed sets (tests, or a seller configured with its anchor sets by hand). */
  public static AnchorSets of(AnchorSet... sets) {
    AnchorSets a = new AnchorSets(epoch -> Optional.empty(), Math.max(1, sets.length), java.time.Duration.ofDays(1));
    for (AnchorSet s : sets) {
      a.trusted.add(s);
    }
    return a;
  }

  public AnchorSetView view() {
    return trusted;
  }

  /** Fetches the latest set and the {@code retain - 1} before it that are missing. */
  public void refresh() {
    Optional<AnchorSet> latest = load(0);
    if (latest.isEmpty()) {
      return;
    }
    long e = latest.get().epoch();
    for (long back = e - 1; back >= Math.max(1, e - retain + 1); back--) {
      if (trusted.byEpoch(back).isEmpty()) {
        load(back);
      }
    }
  }

  /**
   * Fetches one epoch on demand, unless this epoch was tried less than an interval ago or the
   * seller used up its on-demand budget ({@value #ON_DEMAND_BURST} per interval).
   */
  public void fetch(long epoch) {
    if (admitOnDemand(epoch)) {
      load(epoch);
    }
  }

  private synchronized boolean admitOnDemand(long epoch) {
    long now = nanoTime.getAsLong();
    Long last = lastAttempt.get(epoch);
    if (last != null && now - last < minFetchIntervalNanos) {
      return false;
    }
    tokens = Math.min(ON_DEMAND_BURST, tokens + (double) (now - tokensAt) * ON_DEMAND_BURST / minFetchIntervalNanos);
    tokensAt = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    lastAttempt.remove(epoch);
    lastAttempt.put(epoch, now);
    if (lastAttempt.size() > ATTEMPTS_REMEMBERED) {
      lastAttempt.remove(lastAttempt.keySet().iterator().next());
    }
    return true;
  }

  private Optional<AnchorSet> load(long epoch) {
    try {
      Optional<org.openshard.proto.v1.AnchorSet> p = source.get(epoch);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      AnchorSet set = AnchorSet.fromProto(p.get());
      trusted.add(set);
      return Optional.of(set);
    } catch (CredentialException e) {
      LOG.warn("the registry published an invalid anchor set (epoch {}): {}", epoch, e.getMessage());
      return Optional.empty();
    } catch (Exception e) {
      LOG.warn("cannot fetch anchor set epoch {}: {}", epoch, e.toString());
      return Optional.empty();
    }
  }
}
