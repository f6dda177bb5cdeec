package org.openshard.seller.envelope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.envelope.KeyAnnouncements;
import org.openshard.crypto.envelope.SellerEncryptionKey;
import org.openshard.crypto.envelope.SellerKeyRing;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/**
 * A running seller's encryption keys (docs/protocol.md KEY-9..KEY-12): a {@link SellerKeyRing}
 * plus signed announcements. Keys live in memory only: a fresh key is generated at start and at
 * every rotation; the previous key is kept for the grace period, then erased.
 *
 * <p>Windows: a key made at {@code t} is announced valid {@code [t - skew, t + rotation + grace +
 * skew)} so buyers with slightly-off clocks accept it and envelopes sent just before a rotation
 * stay openable during the grace period. Without rotation, keys are valid for {@link
 * #NO_ROTATION_LIFETIME}.
 */
public final class SellerKeys {
  /** KEY-10 guidance. */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);
  /** Lifetime of a key when rotation is off. */
  public static final Duration NO_ROTATION_LIFETIME = Duration.ofDays(365);

  private final Secp256k1PrivateKey identityKey;
  private final CipherSuite suite;
  private final Duration rotation;
  private final Duration skew;
  private final Clock clock;
  private final SellerKeyRing ring;
  private final Map<String, SignedKeyAnnouncement> signed = new ConcurrentHashMap<>();

  private SellerKeys(
      Secp256k1PrivateKey identityKey, CipherSuite suite, Duration rotation, Duration grace, Duration skew, Clock clock,
      SellerEncryptionKey initial) {
    this.identityKey = identityKey;
    this.suite = suite;
    this.rotation = rotation;
    this.skew = skew;
    this.clock = clock;
    this.ring = new SellerKeyRing(initial, grace);
  }

  /**
   * Starts with a fresh key.
   *
   * @param rotation the rotation interval, or null / zero for none
   */
  public static SellerKeys generate(
      Secp256k1PrivateKey identityKey, CipherSuite suite, Duration rotation, Duration grace, Duration skew, Clock clock) {
    Duration rot = rotation == null || rotation.isZero() ? null : rotation;
    if (rot != null && rot.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("key rotation interval must be at least 1 minute, was " + rotation);
    }
    SellerEncryptionKey first = newKey(suite, clock.instant(), rot, grace, skew);
    return new SellerKeys(identityKey, suite, rot, grace, skew, clock, first);
  }

  /** Starts with a given key (embedding, tests). */
  public static SellerKeys of(
      Secp256k1PrivateKey identityKey, SellerEncryptionKey initial, Duration rotation, Duration grace, Duration skew,
      Clock clock) {
    Duration rot = rotation == null || rotation.isZero() ? null : rotation;
    return new SellerKeys(identityKey, initial.suite(), rot, grace, skew, clock, initial);
  }

  private static SellerEncryptionKey newKey(CipherSuite suite, Instant now, Duration rotation, Duration grace, Duration skew) {
    Duration life = rotation == null ? NO_ROTATION_LIFETIME : rotation.plus(grace).plus(skew);
    String keyId = "k-" + Bytes.hex(SecureRandoms.bytes(8));
    try {
      return SellerEncryptionKey.generate(suite, keyId, now.minus(skew), now.plus(life));
    } catch (CryptoException e) {
      throw new IllegalStateException("cannot generate a seller encryption key: " + e.reason(), e);
    }
  }

  public SellerKeyRing ring() {
    return ring;
  }

  /** The rotation interval, or null if keys do not rotate. */
  public Duration rotationInterval() {
    return rotation;
  }

  /** The signed announcement of the current key (what registrations carry). */
  public SignedKeyAnnouncement currentAnnouncement() {
    return announce(ring.current());
  }

  /** The current key first, then keys in their grace period (what GetInfo lists, KEY-11). */
  public List<SignedKeyAnnouncement> announcements() {
    ring.evictExpired(clock.instant());
    List<SignedKeyAnnouncement> out = new ArrayList<>();
    List<String> live = new ArrayList<>();
    for (SellerEncryptionKey k : ring.activeKeys()) {
      if (!k.isErased()) {
        out.add(announce(k));
        live.add(k.keyId());
      }
    }
    signed.keySet().retainAll(live);
    return List.copyOf(out);
  }

  /** Makes a fresh key current; the old one enters its grace period. Returns the new current announcement. */
  public SignedKeyAnnouncement rotate() {
    Instant now = clock.instant();
    ring.rotate(newKey(suite, now, rotation, ring.gracePeriod(), skew), now);
    return currentAnnouncement();
  }

  /** Erases keys whose grace period is over; returns how many. */
  public int evictExpired() {
    return ring.evictExpired(clock.instant());
  }

  /** Erases every key (shutdown). */
  public void eraseAll() {
    ring.eraseAll();
    signed.clear();
  }

  private SignedKeyAnnouncement announce(SellerEncryptionKey k) {
    Objects.requireNonNull(k, "key");
    return signed.computeIfAbsent(k.keyId(), id -> KeyAnnouncements.sign(identityKey, k));
  }
}
