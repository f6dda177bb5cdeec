package org.openshard.credentials;

import java.time.Duration;
import java.time.Instant;

/**
 * Nullifier epochs: epoch = floor(unix seconds / epochSeconds), with K slots per seller per epoch.
 * A verifier accepts scopes of the current and the previous epoch, so a nullifier of epoch e must be
 * remembered until the end of epoch e + 1 plus the clock skew ({@link #replayExpiry}). Immutable.
 */
public final class NullifierEpochs {
  public static final long DEFAULT_EPOCH_SECONDS = 3600;
  public static final int DEFAULT_SLOTS_PER_EPOCH = 8;
  /** Upper bound on K, so a misconfiguration cannot hand out unlimited sessions. */
  public static final int MAX_SLOTS_PER_EPOCH = 1024;

  private final long epochSeconds;
  private final int slotsPerEpoch;

  private NullifierEpochs(long epochSeconds, int slotsPerEpoch) {
    this.epochSeconds = epochSeconds;
    this.slotsPerEpoch = slotsPerEpoch;
  }

  public static NullifierEpochs defaults() {
    return new NullifierEpochs(DEFAULT_EPOCH_SECONDS, DEFAULT_SLOTS_PER_EPOCH);
  }

  public static NullifierEpochs of(long epochSeconds, int slotsPerEpoch) {
    if (epochSeconds < 60 || epochSeconds > 7 * 24 * 3600) {
      throw new IllegalArgumentException("epoch length must be 60 s .. 7 days, was " + epochSeconds);
    }
    if (slotsPerEpoch < 1 || slotsPerEpoch > MAX_SLOTS_PER_EPOCH) {
      throw new IllegalArgumentException("slots per epoch must be 1.." + MAX_SLOTS_PER_EPOCH + ", was " + slotsPerEpoch);
    }
    return new NullifierEpochs(epochSeconds, slotsPerEpoch);
  }

  public long epochSeconds() {
    return epochSeconds;
  }

  public int slotsPerEpoch() {
    return slotsPerEpoch;
  }

  /** The epoch containing {@code t}. */
  public long epochAt(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), epochSeconds);
  }

  public Instant epochStart(long epoch) {
    return Instant.ofEpochSecond(Math.multiplyExact(epoch, epochSeconds));
  }

  /** Exclusive end of the epoch (= start of the next). */
  public Instant epochEnd(long epoch) {
    return epochStart(Math.addExact(epoch, 1));
  }

  /**
   * When a replay-cache entry for a nullifier of {@code epoch} may be dropped: the end of the last
   * epoch in which a verifier still accepts it (epoch + 1) plus {@code skew}.
   */
  public Instant replayExpiry(long epoch, Duration skew) {
    if (skew.isNegative()) {
      throw new IllegalArgumentException("skew must not be negative");
    }
    return epochEnd(Math.addExact(epoch, 1)).plus(skew);
  }

  @Override
  public String toString() {
    return "NullifierEpochs(" + epochSeconds + " s, K = " + slotsPerEpoch + ")";
  }
}
