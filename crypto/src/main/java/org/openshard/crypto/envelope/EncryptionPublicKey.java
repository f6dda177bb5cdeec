package org.openshard.crypto.envelope;

import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.X25519;
import org.openshard.proto.v1.CipherSuite;

/**
 * A validated encryption public key of one cipher suite (a seller's announced key or a buyer's
 * ephemeral key). Immutable.
 *
 * <ul>
 *   <li>secp256k1: exactly 33 bytes, compressed SEC1, on the curve (the 65-byte form is refused so
 *       every key has exactly one encoding).
 *   <li>X25519: exactly 32 bytes, canonical (the top bit clear and u &lt; 2^255 - 19). Small-order
 *       keys are caught at agreement (all-zero secret) and, for announced keys, by {@link
 *       #requireNotSmallOrder()}.
 * </ul>
 */
public final class EncryptionPublicKey {
  /** A clamped X25519 scalar is a multiple of 8, so it maps every point of order 1, 2, 4 or 8 to zero. */
  private static final byte[] SMALL_ORDER_PROBE = filled((byte) 0x5a);

  private final CipherSuite suite;
  private final byte[] encoded;
  private final Secp256k1PublicKey secp256k1;
  private final X25519.PublicKey x25519;

  private EncryptionPublicKey(
      CipherSuite suite, byte[] encoded, Secp256k1PublicKey secp256k1, X25519.PublicKey x25519) {
    this.suite = suite;
    this.encoded = encoded;
    this.secp256k1 = secp256k1;
    this.x25519 = x25519;
  }

  /**
   * Decodes and validates a public key of {@code suite}.
   *
   * @throws CryptoException UNSUPPORTED for an unknown suite; INVALID_PUBLIC_KEY for a wrong length,
   *     an off-curve or non-canonical encoding
   */
  public static EncryptionPublicKey fromBytes(CipherSuite suite, byte[] encoded) throws CryptoException {
    int expected = Suites.publicKeyBytes(suite);
    if (encoded == null || encoded.length != expected) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_PUBLIC_KEY,
          "public key of " + suite + " must be " + expected + " bytes, was "
              + (encoded == null ? "missing" : encoded.length));
    }
    byte[] copy = encoded.clone();
    if (Suites.isSecp256k1(suite)) {
      return new EncryptionPublicKey(suite, copy, Secp256k1PublicKey.fromBytes(copy), null);
    }
    if (!isCanonicalX25519(copy)) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "X25519 public key is not canonical");
    }
    return new EncryptionPublicKey(suite, copy, null, X25519.PublicKey.fromBytes(copy));
  }

  static EncryptionPublicKey of(Secp256k1PublicKey key) {
    return new EncryptionPublicKey(
        CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM, key.compressed(), key, null);
  }

  static EncryptionPublicKey of(X25519.PublicKey key) {
    return new EncryptionPublicKey(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM, key.toBytes(), null, key);
  }

  public CipherSuite suite() {
    return suite;
  }

  /** The wire encoding (33 or 32 bytes). */
  public byte[] toBytes() {
    return encoded.clone();
  }

  /** The wire encoding without a copy, for the canonical encodings in this package. */
  byte[] encodedView() {
    return encoded;
  }

  Secp256k1PublicKey secp256k1() {
    return secp256k1;
  }

  X25519.PublicKey x25519() {
    return x25519;
  }

  /**
   * Rejects X25519 keys of small order (the identity, order 2, 4 or 8), which would give every
   * sender the same all-zero shared secret. secp256k1 has cofactor 1: nothing to check.
   *
   * @throws CryptoException INVALID_PUBLIC_KEY
   */
  void requireNotSmallOrder() throws CryptoException {
    if (x25519 != null) {
      X25519.PrivateKey.fromBytes(SMALL_ORDER_PROBE).agree(x25519); // throws on an all-zero result
    }
  }

  /** Little-endian u with bit 255 clear and u &lt; p = 2^255 - 19. */
  private static boolean isCanonicalX25519(byte[] u) {
    if ((u[31] & 0x80) != 0) {
      return false;
    }
    // u >= p iff u[31] == 0x7f, u[1..30] == 0xff and u[0] >= 0xed.
    if ((u[31] & 0xff) != 0x7f || (u[0] & 0xff) < 0xed) {
      return true;
    }
    for (int i = 1; i < 31; i++) {
      if ((u[i] & 0xff) != 0xff) {
        return true;
      }
    }
    return false;
  }

  private static byte[] filled(byte b) {
    byte[] out = new byte[32];
    Arrays.fill(out, b);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptionPublicKey
        && suite == ((EncryptionPublicKey) o).suite
        && Arrays.equals(encoded, ((EncryptionPublicKey) o).encoded);
  }

  @Override
  public int hashCode() {
    return 31 * suite.hashCode() + Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "EncryptionPublicKey(" + suite + ", " + Bytes.hex(encoded) + ")";
  }
}
