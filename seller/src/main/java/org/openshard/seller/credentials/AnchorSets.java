package org.openshard.seller.credentials;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.anchors.AnchorSetView;
import org.openshard.credentials.anchors.TrustedAnchorSets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anchor sets the seller verifies ring proofs against, fetched from its registry (the registry
 * publishes them; their digests are recomputed on arrival). Keeps the newest {@code retain} epochs;
 * refreshed periodically and, rate-limited, when a proof names an epoch the seller has not seen.
 * Thread-safe.
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
  private final long minFetchIntervalNanos;
  private final AtomicLong lastOnDemandFetch = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);

  public AnchorSets(Source source, int retain, java.time.Duration minOnDemandInterval) {
    this.source = Objects.requireNonNull(source, "source");
    this.retain = retain;
    this.trusted = new TrustedAnchorSets(retain);
    this.minFetchIntervalNanos = minOnDemandInterval.toNanos();
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
   * Fetches one epoch on demand, at most once per interval (so envelopes naming random epochs
   * cannot make the seller hammer its registry).
   */
  public void fetch(long epoch) {
    long now = System.nanoTime();
    long last = lastOnDemandFetch.get();
    if (now - last < minFetchIntervalNanos || !lastOnDemandFetch.compareAndSet(last, now)) {
      return;
    }
    load(epoch);
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
