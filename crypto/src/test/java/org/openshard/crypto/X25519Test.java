package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class X25519Test {
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** 32-byte little-endian u-coordinate. */
  private static byte[] u(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  @Test
  void agreementIsSymmetric() throws CryptoException {
    X25519.PrivateKey a = X25519.PrivateKey.generate();
    X25519.PrivateKey b = X25519.PrivateKey.generate();
    byte[] ab = a.agree(b.publicKey());
    assertArrayEquals(ab, b.agree(a.publicKey()));
    assertEquals(32, ab.length);
  }

  /** From /work/shared/reference/test-vectors.md (ACI E2EE v2): private = 32 x 0x03. */
  @Test
  void publicKeyOfReferenceVector() throws CryptoException {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) 0x03);
    assertEquals(
        "5dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef22",
        Bytes.hex(X25519.PrivateKey.fromBytes(k).publicKey().toBytes()));
  }

  /**
   * Low-order u-coordinates (0, 1, p-1 and the order-8 points, plus the non-canonical aliases p
   * and p+1 of 0 and 1) give an all-zero shared secret for every clamped scalar; agree must refuse them.
   */
  @Test
  void rejectsEveryAllZeroResult() throws CryptoException {
    BigInteger order8a = new BigInteger("39382357235489614581723060781553021112529911719440698176882885853963445705823");
    BigInteger order8b = new BigInteger("325606250916557431795983626356110631294008115727848805560023387167927233504");
    BigInteger[] lowOrder = {
      BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), order8a, order8b,
      P, P.add(BigInteger.ONE),
    };
    int checked = 0;
    for (int round = 0; round < 4; round++) {
      X25519.PrivateKey own = X25519.PrivateKey.generate();
      for (BigInteger v : lowOrder) {
        X25519.PublicKey peer = X25519.PublicKey.fromBytes(u(v));
        CryptoException e = assertThrows(CryptoException.class, () -> own.agree(peer), "u=" + v);
        assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason());
        checked++;
      }
    }
    assertEquals(4 * 7, checked);
  }

  @Test
  void rejectsWrongSizes() {
    for (int n : new int[] {0, 31, 33, 64}) {
      CryptoException e = assertThrows(CryptoException.class, () -> X25519.PublicKey.fromBytes(new byte[n]));
      assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason());
      CryptoException f = assertThrows(CryptoException.class, () -> X25519.PrivateKey.fromBytes(new byte[n]));
      assertEquals(CryptoException.Reason.INVALID_PRIVATE_KEY, f.reason());
    }
  }
}
