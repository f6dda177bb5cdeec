package org.openshard.buyer.envelope;

import java.util.Objects;

/** The nullifier scope of one session: (seller id, nullifier epoch, slot). */
public final class NullifierSlot {
  private final String sellerId;
  private final long epoch;
  private final int slot;

  public NullifierSlot(String sellerId, long epoch, int slot) {
    if (epoch < 0 || slot < 0) {
      throw new IllegalArgumentException("epoch and slot must be non-negative");
    }
    this.sellerId = Objects.requireNonNull(sellerId, "sellerId");
    this.epoch = epoch;
    this.slot = slot;
  }

  public String sellerId() {
    return sellerId;
  }

  public long epoch() {
    return epoch;
  }

  public int slot() {
    return slot;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NullifierSlot)) {
      return false;
    }
    NullifierSlot s = (NullifierSlot) o;
    return epoch == s.epoch && slot == s.slot && sellerId.equals(s.sellerId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sellerId, epoch, slot);
  }

  @Override
  public String toString() {
    return sellerId + "@" + epoch + "#" + slot;
  }
}
