package org.openshard.buyer.envelope;

import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Nullifier slots already spent, per (seller, epoch), so this buyer never builds two envelopes
 * with the same nullifier. A slot is spent as soon as it is handed out, whether or not the seller
 * ever saw it: a session that failed before the seller stored its nullifier costs one slot, which
 * is the safe direction. Free slots are drawn at random so a slot number does not tell the seller
 * how many sessions came before it. Epochs older than the newest one seen for a seller minus one are
 * forgotten.
 */
public final class NullifierSlots {
  private final SecureRandom random;
  private final Map<Key, BitSet> used = new HashMap<>();
  private final Map<String, Long> newestEpoch = new HashMap<>();

  public NullifierSlots(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Spends a free slot of {@code sellerId} in {@code epoch}, or returns empty if all
   * {@code slotsPerEpoch} slots are spent (move on to another seller).
   */
  public synchronized Optional<NullifierSlot> reserve(String sellerId, long epoch, int slotsPerEpoch) {
    if (slotsPerEpoch <= 0) {
      return Optional.empty();
    }
    forgetOld(sellerId, epoch);
    BitSet bits = used.computeIfAbsent(new Key(sellerId, epoch), k -> new BitSet());
    int free = slotsPerEpoch - bits.get(0, slotsPerEpoch).cardinality();
    if (free <= 0) {
      return Optional.empty();
    }
    int skip = random.nextInt(free);
    int slot = bits.nextClearBit(0);
    for (int i = 0; i < skip; i++) {
      slot = bits.nextClearBit(slot + 1);
    }
    bits.set(slot);
    return Optional.of(new NullifierSlot(sellerId, epoch, slot));
  }

  /** Marks a slot spent (e.g. the seller reported it replayed after a buyer restart). */
  public synchronized void markUsed(NullifierSlot slot) {
    forgetOld(slot.sellerId(), slot.epoch());
    used.computeIfAbsent(new Key(slot.sellerId(), slot.epoch()), k -> new BitSet()).set(slot.slot());
  }

  public synchronized boolean isUsed(NullifierSlot slot) {
    BitSet bits = used.get(new Key(slot.sellerId(), slot.epoch()));
    return bits != null && bits.get(slot.slot());
  }

  /** Slots spent for this seller and epoch. */
  public synchronized int usedCount(String sellerId, long epoch) {
    BitSet bits = used.get(new Key(sellerId, epoch));
    return bits == null ? 0 : bits.cardinality();
  }

  private void forgetOld(String sellerId, long epoch) {
    Long newest = newestEpoch.get(sellerId);
    if (newest != null && epoch <= newest) {
      return;
    }
    newestEpoch.put(sellerId, epoch);
    for (Iterator<Key> it = used.keySet().iterator(); it.hasNext(); ) {
      Key k = it.next();
      if (k.sellerId.equals(sellerId) && k.epoch < epoch - 1) {
        it.remove();
      }
    }
  }

  private static final class Key {
    final String sellerId;
    final long epoch;

    Key(String sellerId, long epoch) {
      this.sellerId = sellerId;
      this.epoch = epoch;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).epoch == epoch && ((Key) o).sellerId.equals(sellerId);
    }

    @Override
    public int hashCode() {
      return sellerId.hashCode() * 31 + Long.hashCode(epoch);
    }
  }
}
