package org.openshard.credentials;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1;

/**
 * A buyer credential anchor P = x·G: a validated secp256k1 point, always carried as its 33-byte
 * compressed SEC1 encoding. Anchors order by unsigned byte comparison of that encoding (the order of
 * an anchor set). Immutable.
 */
public final class Anchor implements Comparable<Anchor> {
  /** Size of the encoding. */
  public static final int BYTES = 33;

  private final byte[] compressed;
  private final ECPoint point;

  private Anchor(byte[] compressed, ECPoint point) {
    this.compressed = compressed;
    this.point = point;
  }

  /**
   * Decodes and validates a 33-byte compressed point (prefix 02/03, x on the curve, not infinity).
   *
   * @throws CredentialException INVALID_ARGUMENT otherwise
   */
  public static Anchor fromBytes(byte[] compressed) throws CredentialException {
    if (compressed == null || compressed.length != BYTES) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT,
          "anchor must be a 33-byte compressed point, was " + (compressed == null ? "missing" : compressed.length + " bytes"));
    }
    try {
      ECPoint p = Secp256k1.decodePoint(compressed);
      return new Anchor(compressed.clone(), p);
    } catch (CryptoException e) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "anchor is not a valid secp256k1 point");
    }
  }

  /** From a point computed locally (x·G); rejects infinity. */
  public static Anchor fromPoint(ECPoint p) {
    if (p == null || p.isInfinity()) {
      throw new IllegalArgumentException("an anchor cannot be the point at infinity");
    }
    ECPoint n = p.normalize();
    return new Anchor(n.getEncoded(true), n);
  }

  /** 33-byte compressed encoding (a copy). */
  public byte[] toBytes() {
    return compressed.clone();
  }

  /** The normalized curve point. Treat as read-only. */
  public ECPoint point() {
    return point;
  }

  @Override
  public int compareTo(Anchor o) {
    return Arrays.compareUnsigned(compressed, o.compressed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Anchor && Arrays.equals(compressed, ((Anchor) o).compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Anchor(" + Bytes.hex(compressed) + ")";
  }
}
