package org.openshard.bridge.e2ee;

import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;

/** Parsing of hex header values. */
public final class HexInput {
  private HexInput() {}

  /** Hex of even length, either case, optional {@code 0x}; null if it is not. */
  public static byte[] parseOrNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.isEmpty() || t.length() > 1024) {
      return null;
    }
    try {
      return Bytes.fromHex(t);
    } catch (CryptoException e) {
      return null;
    }
  }

  /** True if {@code s} is exactly {@code n} hex characters (either case, no prefix). */
  public static boolean isHexOfLength(String s, int n) {
    if (s == null || s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }
}
