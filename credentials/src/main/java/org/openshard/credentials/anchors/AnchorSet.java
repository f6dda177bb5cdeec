package org.openshard.credentials.anchors;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.Encoding;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;

/**
 * A published anchor set: an epoch number (≥ 1) and the enrolled anchors in ascending unsigned byte
 * order without duplicates, committed to by {@link #digest()} (docs/protocol.md, CRED-7). Buyers form
 * rings from it; the proof names it by (epoch, digest). Immutable.
 */
public final class AnchorSet {
  /** Largest set accepted (≈ 2.3 MB on the wire). */
  public static final int MAX_ANCHORS = 1 << 16;

  static final String DIGEST_LABEL = "OpenShard/v1/anchor-set";

  private final long epoch;
  private final List<Anchor> anchors;
  private final byte[] digest;
  private final long publishedAtMs;

  private AnchorSet(long epoch, List<Anchor> sortedUnique, long publishedAtMs) {
    this.epoch = epoch;
    this.anchors = Collections.unmodifiableList(sortedUnique);
    this.digest = computeDigest(epoch, sortedUnique);
    this.publishedAtMs = publishedAtMs;
  }

  /**
   * Builds a set from anchors in any order; sorts them.
   *
   * @throws CredentialException INVALID_ARGUMENT for epoch 0 or a duplicate anchor, LIMIT_EXCEEDED
   *     above {@link #MAX_ANCHORS}
   */
  public static AnchorSet of(long epoch, Collection<Anchor> anchors, long publishedAtMs) throws CredentialException {
    checkEpoch(epoch);
    if (anchors.size() > MAX_ANCHORS) {
      throw new CredentialException(
          CredentialException.Reason.LIMIT_EXCEEDED, "anchors", "anchor set has more than " + MAX_ANCHORS + " anchors");
    }
    List<Anchor> sorted = new ArrayList<>(anchors);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).equals(sorted.get(i - 1))) {
        throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "anchors", "duplicate anchor in anchor set");
      }
    }
    return new AnchorSet(epoch, sorted, publishedAtMs);
  }

  /**
   * Parses and checks a published set: epoch ≥ 1, size cap, every anchor a valid compressed point,
   * strictly ascending order, and the digest recomputed from (epoch, anchors).
   */
  public static AnchorSet fromProto(org.openshard.proto.v1.AnchorSet p) throws CredentialException {
    checkEpoch(p.getEpoch());
    if (p.getAnchorsCount() > MAX_ANCHORS) {
      throw new CredentialException(
          CredentialException.Reason.LIMIT_EXCEEDED, "anchors", "anchor set has more than " + MAX_ANCHORS + " anchors");
    }
    List<Anchor> list = new ArrayList<>(p.getAnchorsCount());
    Anchor previous = null;
    for (int i = 0; i < p.getAnchorsCount(); i++) {
      Anchor a;
      try {
        a = Anchor.fromBytes(p.getAnchors(i).toByteArray());
      } catch (CredentialException e) {
        throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "anchors." + i, "anchor is not a valid point");
      }
      if (previous != null && previous.compareTo(a) >= 0) {
        throw new CredentialException(
            CredentialException.Reason.INVALID_ARGUMENT, "anchors." + i, "anchors are not strictly ascending");
      }
      list.add(a);
      previous = a;
    }
    AnchorSet set = new AnchorSet(p.getEpoch(), list, p.getPublishedAtMs());
    if (!Bytes.constantTimeEquals(set.digest, p.getDigest().toByteArray())) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT, "digest", "anchor set digest does not match its contents");
    }
    return set;
  }

  public org.openshard.proto.v1.AnchorSet toProto() {
    org.openshard.proto.v1.AnchorSet.Builder b =
        org.openshard.proto.v1.AnchorSet.newBuilder()
            .setEpoch(epoch)
            .setDigest(ByteString.copyFrom(digest))
            .setPublishedAtMs(publishedAtMs);
    for (Anchor a : anchors) {
      b.addAnchors(ByteString.copyFrom(a.toBytes()));
    }
    return b.build();
  }

  /** SHA-256(lp("OpenShard/v1/anchor-set") || u64(epoch) || u32(count) || anchor_0 || … ). */
  static byte[] computeDigest(long epoch, List<Anchor> sorted) {
    Encoding e = Encoding.labelled(DIGEST_LABEL, 40 + sorted.size() * Anchor.BYTES).u64(epoch).u32(sorted.size());
    for (Anchor a : sorted) {
      e.raw(a.toBytes());
    }
    return Hashes.sha256(e.toByteArray());
  }

  private static void checkEpoch(long epoch) throws CredentialException {
    if (epoch <= 0) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "epoch", "anchor set epoch must be ≥ 1");
    }
  }

  public long epoch() {
    return epoch;
  }

  /** The 32-byte digest (a copy). */
  public byte[] digest() {
    return digest.clone();
  }

  /** True if {@code candidate} is this set's digest (constant time). */
  public boolean digestEquals(byte[] candidate) {
    return candidate != null && Bytes.constantTimeEquals(digest, candidate);
  }

  public long publishedAtMs() {
    return publishedAtMs;
  }

  public int size() {
    return anchors.size();
  }

  public Anchor anchor(int index) {
    return anchors.get(index);
  }

  /** The anchors in set order (unmodifiable). */
  public List<Anchor> anchors() {
    return anchors;
  }

  /** Index of {@code a} in the set, or -1. */
  public int indexOf(Anchor a) {
    int i = Collections.binarySearch(anchors, a);
    return i >= 0 ? i : -1;
  }

  public boolean contains(Anchor a) {
    return indexOf(a) >= 0;
  }

  @Override
  public String toString() {
    return "AnchorSet(epoch " + epoch + ", " + anchors.size() + " anchors, digest " + Bytes.hex(digest) + ")";
  }
}
