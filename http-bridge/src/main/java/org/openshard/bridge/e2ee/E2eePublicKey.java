package org.openshard.bridge.e2ee;

import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.X25519;

/**
 * A validated public key for HTTP E2EE. Its canonical bytes are the 65-byte uncompressed SEC1 form
 * for secp256k1 (so the 64- and 65-byte spellings of one key are equal) and the raw 32 bytes for
 * X25519. Immutable.
 */
public final class E2eePublicKey {
  private final Curve curve;
  private final byte[] canonical;
  private final Secp256k1PublicKey secp;
  private final X25519.PublicKey x25519;

  private E2eePublicKey(Curve curve, byte[] canonical, Secp256k1PublicKey secp, X25519.PublicKey x25519) {
    this.curve = curve;
    this.canonical = canonical;
    this.secp = secp;
    this.x25519 = x25519;
  }

  public static E2eePublicKey of(Secp256k1PublicKey k) {
    return new E2eePublicKey(Curve.SECP256K1, k.uncompressed(), k, null);
  }

  public static E2eePublicKey of(X25519.PublicKey k) {
    return new E2eePublicKey(Curve.X25519, k.toBytes(), null, k);
  }

  /**
   * Decodes a key of {@code curve}: secp256k1 accepts 33-byte compressed, 65-byte uncompressed and
   * 64-byte raw {@code x || y} (validated on the curve); X25519 takes exactly 32 bytes.
   */
  public static E2eePublicKey decode(Curve curve, byte[] bytes) throws CryptoException {
    if (curve == Curve.SECP256K1) {
      return of(Secp256k1PublicKey.fromBytesLenient(bytes));
    }
    return of(X25519.PublicKey.fromBytes(bytes));
  }

  public Curve curve() {
    return curve;
  }

  /** Canonical encoding (see class comment). */
  public byte[] canonicalBytes() {
    return canonical.clone();
  }

  /** Lowercase hex of the canonical encoding. */
  public String hex() {
    return Bytes.hex(canonical);
  }

  Secp256k1PublicKey secp256k1() {
    return secp;
  }

  X25519.PublicKey x25519() {
    return x25519;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof E2eePublicKey
        && ((E2eePublicKey) o).curve == curve
        && Arrays.equals(((E2eePublicKey) o).canonical, canonical);
  }

  @Override
  public int hashCode() {
    return 31 * curve.hashCode() + Arrays.hashCode(canonical);
  }

  @Override
  public String toString() {
    return "E2eePublicKey(" + curve + ", " + hex() + ")";
  }
}
