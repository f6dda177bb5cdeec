package org.openshard.crypto.envelope;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.openshard.crypto.CryptoException;

/**
 * The seller's encryption keys (docs/protocol.md KEY-9..KEY-12): one current key, and previous keys
 * kept only for a grace period after rotation, then erased (private bytes wiped). Keys past their
 * grace period are erased by {@link #evictExpired} and, lazily, when an envelope names them.
 * Thread-safe.
 */
public final class SellerKeyRing {
  private static final class Retired {
    final SellerEncryptionKey key;
    final Instant graceEnds;

    Retired(SellerEncryptionKey key, Instant graceEnds) {
      this.key = key;
      this.graceEnds = graceEnds;
    }
  }

  private final Duration gracePeriod;
  private SellerEncryptionKey current;
  private final List<Retired> previous = new ArrayList<>();

  /**
   * @param gracePeriod how long a key stays usable after it stops being current; should cover the
   *     buyers' announcement cache time plus the clock-skew window plus request latency
   */
  public SellerKeyRing(SellerEncryptionKey initial, Duration gracePeriod) {
    this.current = requireUsable(initial);
    this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("grace period must not be negative");
    }
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }

  public synchronized SellerEncryptionKey current() {
    return current;
  }

  /** The current key first, then the previous keys still in their grace period, newest first. */
  public synchronized List<SellerEncryptionKey> activeKeys() {
    List<SellerEncryptionKey> out = new ArrayList<>();
    out.add(current);
    for (int i = previous.size() - 1; i >= 0; i--) {
      out.add(previous.get(i).key);
    }
    return List.copyOf(out);
  }

  /**
   * Makes {@code newKey} current. The old current key stays usable until {@code now + gracePeriod},
   * then is erased.
   *
   * @throws IllegalArgumentException if {@code newKey} is erased or its key id is already held
   */
  public synchronized void rotate(SellerEncryptionKey newKey, Instant now) {
    requireUsable(newKey);
    Objects.requireNonNull(now, "now");
    if (holds(newKey.keyId())) {
      throw new IllegalArgumentException("key id " + newKey.keyId() + " is already in the ring");
    }
    previous.add(new Retired(current, now.plus(gracePeriod)));
    current = newKey;
    evictExpired(now);
  }

  /**
   * Erases (wipes) every previous key whose grace period has ended at {@code now}.
   *
   * @return how many keys were erased
   */
  public synchronized int evictExpired(Instant now) {
    Objects.requireNonNull(now, "now");
    int erased = 0;
    for (Iterator<Retired> it = previous.iterator(); it.hasNext(); ) {
      Retired r = it.next();
      if (!now.isBefore(r.graceEnds)) {
        r.key.erase();
        it.remove();
        erased++;
      }
    }
    return erased;
  }

  /** Erases every key, the current one included (shutdown). The ring is unusable afterwards. */
  public synchronized void eraseAll() {
    for (Retired r : previous) {
      r.key.erase();
    }
    previous.clear();
    current.erase();
  }

  /**
   * The key named {@code keyId}, if it is current or in its grace period at {@code now}.
   *
   * @throws CryptoException UNKNOWN_KEY otherwise (never held, past its grace period, or erased)
   */
  synchronized SellerEncryptionKey lookup(String keyId, Instant now) throws CryptoException {
    evictExpired(now);
    if (current.keyId().equals(keyId) && !current.isErased()) {
      return current;
    }
    for (Retired r : previous) {
      if (r.key.keyId().equals(keyId)) {
        return r.key;
      }
    }
    throw new CryptoException(CryptoException.Reason.UNKNOWN_KEY, "no usable seller key with id " + printable(keyId));
  }

  private boolean holds(String keyId) {
    if (current.keyId().equals(keyId)) {
      return true;
    }
    for (Retired r : previous) {
      if (r.key.keyId().equals(keyId)) {
        return true;
      }
    }
    return false;
  }

  private static SellerEncryptionKey requireUsable(SellerEncryptionKey key) {
    Objects.requireNonNull(key, "key");
    if (key.isErased()) {
      throw new IllegalArgumentException("key " + key.keyId() + " is erased");
    }
    return key;
  }

  /** Key ids from the wire are echoed only if well formed (they are attacker-chosen). */
  private static String printable(String keyId) {
    return Identifiers.isKeyId(keyId) ? keyId : "(malformed)";
  }
}
