package org.openshard.credentials;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1;

/**
 * A nullifier: the key image I = x·H(scope) of a ring proof, as a 33-byte compressed point. The same
 * credential and scope always give the same nullifier; different scopes give unlinkable ones.
 * Sellers store it (or its {@link #hash()}) and reject a second use. Immutable.
 */
public final class Nullifier {
  public static final int BYTES = 33;

  private final byte[] compressed;
  private final ECPoint point;

  private Nullifier(byte[] compressed, ECPoint point) {
    this.compressed = compressed;
    this.point = point;
  }

  /**
   * From the 33-byte compressed key image; validates the point.
   *
   * @throws CredentialException INVALID_ARGUMENT if it is not a compressed point on the curve
   */
  public static Nullifier fromBytes(byte[] compressed) throws CredentialException {
    if (compressed == null || compressed.length != BYTES) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT,
          "zk_proof.key_image",
          "key image must be a 33-byte compressed point, was " + (compressed == null ? "missing" : compressed.length + " bytes"));
    }
    try {
      return new Nullifier(compressed.clone(), Secp256k1.decodePoint(compressed));
    } catch (CryptoException e) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT, "zk_proof.key_image", "key image is not a valid secp256k1 point");
    }
  }

  /** From a locally computed key image; rejects infinity. */
  public static Nullifier fromPoint(ECPoint p) {
    if (p == null || p.isInfinity()) {
      throw new IllegalArgumentException("a key image cannot be the point at infinity");
    }
    ECPoint n = p.normalize();
    return new Nullifier(n.getEncoded(true), n);
  }

  /** The 33-byte compressed key image (a copy). */
  public byte[] toBytes() {
    return compressed.clone();
  }

  /** The key image point. Treat as read-only. */
  public ECPoint point() {
    return point;
  }

  /** SHA-256 of the compressed key image: what replay stores and audit logs record. */
  public byte[] hash() {
    return Hashes.sha256(compressed);
  }

  /** Lowercase hex of {@link #hash()}. */
  public String hashHex() {
    return Bytes.hex(hash());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Nullifier && Arrays.equals(compressed, ((Nullifier) o).compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Nullifier(hash=" + hashHex() + ")";
  }
}
