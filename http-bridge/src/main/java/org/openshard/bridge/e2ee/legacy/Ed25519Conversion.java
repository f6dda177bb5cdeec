package org.openshard.bridge.e2ee.legacy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.X25519;

/**
 * Ed25519 keys used for X25519 key agreement (RFC 7748 section 4.1 birational map):
 *
 * <ul>
 *   <li>public: {@code u = (1 + y) / (1 - y) mod p}, y = the little-endian encoding with the top
 *       (sign) bit cleared; u = 0 when y = 1;
 *   <li>private: the first 32 bytes of SHA-512(seed), clamped ({@code [0] &= 248; [31] &= 127;
 *       [31] |= 64}).
 * </ul>
 */
public final class Ed25519Conversion {
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private Ed25519Conversion() {}

  public static X25519.PublicKey toX25519(Ed25519.PublicKey ed) throws CryptoException {
    byte[] le = ed.toBytes();
    le[31] &= 0x7f;
    BigInteger y = new BigInteger(1, reverse(le));
    BigInteger u;
    BigInteger oneMinusY = BigInteger.ONE.subtract(y).mod(P);
    if (oneMinusY.signum() == 0) {
      u = BigInteger.ZERO;
    } else {
      u = BigInteger.ONE.add(y).multiply(oneMinusY.modInverse(P)).mod(P);
    }
    byte[] be = u.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(be.length, 32);
    System.arraycopy(be, be.length - n, out, 32 - n, n);
    return X25519.PublicKey.fromBytes(reverse(out));
  }

  public static X25519.PrivateKey toX25519(Ed25519.PrivateKey ed) throws CryptoException {
    byte[] seed = ed.seed();
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-512").digest(seed);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is missing from the JDK", e);
    } finally {
      Bytes.wipe(seed);
    }
    byte[] k = Arrays.copyOf(h, 32);
    Bytes.wipe(h);
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    try {
      return X25519.PrivateKey.fromBytes(k);
    } finally {
      Bytes.wipe(k);
    }
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}
