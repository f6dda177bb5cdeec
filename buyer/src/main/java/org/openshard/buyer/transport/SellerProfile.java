package org.openshard.buyer.transport;

import java.util.Objects;
import org.openshard.buyer.envelope.SellerKey;

/**
 * What the buyer needs from a seller's GetInfo to build an envelope: the verified current key and
 * the nullifier parameters (epoch length and slots per epoch).
 */
public final class SellerProfile {
  private final String peerId;
  private final SellerKey key;
  private final long epochSeconds;
  private final int slotsPerEpoch;
  private final long fetchedAtNanos;

  public SellerProfile(String peerId, SellerKey key, long epochSeconds, int slotsPerEpoch, long fetchedAtNanos) {
    if (epochSeconds <= 0) {
      throw new IllegalArgumentException("epoch_seconds must be positive");
    }
    this.peerId = Objects.requireNonNull(peerId);
    this.key = Objects.requireNonNull(key);
    this.epochSeconds = epochSeconds;
    this.slotsPerEpoch = slotsPerEpoch;
    this.fetchedAtNanos = fetchedAtNanos;
  }

  public String peerId() {
    return peerId;
  }

  public SellerKey key() {
    return key;
  }

  public long epochSeconds() {
    return epochSeconds;
  }

  public int slotsPerEpoch() {
    return slotsPerEpoch;
  }

  long fetchedAtNanos() {
    return fetchedAtNanos;
  }

  /** The nullifier epoch at {@code unixSeconds}: floor(unix seconds / epoch_seconds). */
  public long epochAt(long unixSeconds) {
    return Math.floorDiv(unixSeconds, epochSeconds);
  }
}
