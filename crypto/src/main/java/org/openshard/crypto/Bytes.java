package org.openshard.crypto;

import java.security.MessageDigest;
import java.util.HexFormat;

/** Small byte helpers used across the crypto module. */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();

  private Bytes() {}

  /** Constant-time equality (length is not secret). */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /** Lowercase hex. */
  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  /**
   * Parses hex (either case, optional "0x" prefix).
   *
   * @throws CryptoException INVALID_ENCODING if it is not hex of even length
   */
  public static byte[] fromHex(String s) throws CryptoException {
    if (s == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "hex string is missing");
    }
    String t = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    if ((t.length() & 1) != 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "hex string has odd length");
    }
    try {
      return HEX.parseHex(t);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "not a hex string");
    }
  }

  /** Overwrites a secret with zeros. */
  public static void wipe(byte[] secret) {
    if (secret != null) {
      java.util.Arrays.fill(secret, (byte) 0);
    }
  }

  /** Big-endian 8-byte encoding. */
  public static byte[] u64(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  /** Big-endian 4-byte encoding. */
  public static byte[] u32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
