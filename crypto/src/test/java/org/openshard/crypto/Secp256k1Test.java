package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class Secp256k1Test {
  private static final BigInteger SEVEN = BigInteger.valueOf(7);

  private static void assertInvalidPoint(byte[] encoded) {
    CryptoException e = assertThrows(CryptoException.class, () -> Secp256k1.decodePoint(encoded));
    assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason(), e.getMessage());
  }

  private static boolean isSquare(BigInteger v) {
    return v.modPow(Secp256k1.P.subtract(BigInteger.ONE).shiftRight(1), Secp256k1.P).equals(BigInteger.ONE);
  }

  @Test
  void decodesTheGeneratorInBothForms() throws CryptoException {
    ECPoint c = Secp256k1.decodePoint(Secp256k1.G.getEncoded(true));
    ECPoint u = Secp256k1.decodePoint(Secp256k1.G.getEncoded(false));
    assertEquals(Secp256k1.G.normalize(), c);
    assertEquals(c, u);
  }

  @Test
  void rejectsOffCurveUncompressedPoint() {
    byte[] g = Secp256k1.G.getEncoded(false);
    g[64] ^= 0x01; // y + 1 or y - 1: no longer on y^2 = x^3 + 7
    assertInvalidPoint(g);
  }

  @Test
  void rejectsCompressedXWithNoCurvePoint() {
    BigInteger x = BigInteger.ONE;
    while (isSquare(x.pow(3).add(SEVEN).mod(Secp256k1.P))) {
      x = x.add(BigInteger.ONE);
    }
    byte[] enc = Bytes.concat(new byte[] {0x02}, Secp256k1.to32Bytes(x));
    assertInvalidPoint(enc);
    enc[0] = 0x03;
    assertInvalidPoint(enc);
  }

  @Test
  void rejectsCoordinatesNotBelowP() throws CryptoException {
    // A point with a small x, so that x + p still fits in 32 bytes.
    BigInteger x = BigInteger.ONE;
    while (!isSquare(x.pow(3).add(SEVEN).mod(Secp256k1.P))) {
      x = x.add(BigInteger.ONE);
    }
    byte[] compressed = Bytes.concat(new byte[] {0x02}, Secp256k1.to32Bytes(x));
    byte[] y = java.util.Arrays.copyOfRange(Secp256k1.decodePoint(compressed).getEncoded(false), 33, 65);
    assertInvalidPoint(Bytes.concat(new byte[] {0x04}, Secp256k1.to32Bytes(x.add(Secp256k1.P)), y));
    assertInvalidPoint(Bytes.concat(new byte[] {0x02}, Secp256k1.to32Bytes(x.add(Secp256k1.P))));
    assertInvalidPoint(Bytes.concat(new byte[] {0x02}, Secp256k1.to32Bytes(Secp256k1.P)));
  }

  @Test
  void rejectsWrongLengths() {
    byte[] c = Secp256k1.G.getEncoded(true);
    byte[] u = Secp256k1.G.getEncoded(false);
    assertInvalidPoint(null);
    assertInvalidPoint(new byte[0]);
    assertInvalidPoint(java.util.Arrays.copyOf(c, 32));
    assertInvalidPoint(java.util.Arrays.copyOf(c, 34));
    assertInvalidPoint(java.util.Arrays.copyOfRange(u, 1, 65)); // raw x || y without prefix
    assertInvalidPoint(java.util.Arrays.copyOf(u, 64));
    assertInvalidPoint(java.util.Arrays.copyOf(u, 66));
  }

  @Test
  void rejectsWrongPrefixes() {
    byte[] c = Secp256k1.G.getEncoded(true);
    byte[] u = Secp256k1.G.getEncoded(false);
    for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff}) {
      byte[] t = c.clone();
      t[0] = (byte) prefix;
      assertInvalidPoint(t);
    }
    for (int prefix : new int[] {0x00, 0x02, 0x03, 0x05, 0x06, 0x07}) { // 06/07: SEC1 hybrid form
      byte[] t = u.clone();
      t[0] = (byte) prefix;
      assertInvalidPoint(t);
    }
  }

  @Test
  void rejectsTheInfinityEncoding() {
    assertInvalidPoint(new byte[] {0x00});
    assertInvalidPoint(new byte[33]);
    assertInvalidPoint(new byte[65]);
  }

  @Test
  void fromBytesLenientTakesRawXy() throws CryptoException {
    Secp256k1PublicKey k = Secp256k1PrivateKey.generate().publicKey();
    byte[] raw = java.util.Arrays.copyOfRange(k.uncompressed(), 1, 65);
    assertEquals(k, Secp256k1PublicKey.fromBytesLenient(raw));
    assertThrows(CryptoException.class, () -> Secp256k1PublicKey.fromBytes(raw));
  }

  @Test
  void ecdhAgreesBothWays() throws CryptoException {
    Secp256k1PrivateKey a = Secp256k1PrivateKey.generate();
    Secp256k1PrivateKey b = Secp256k1PrivateKey.generate();
    byte[] ab = a.agree(b.publicKey());
    assertArrayEquals(ab, b.agree(a.publicKey()));
    assertEquals(32, ab.length);
    assertTrue(new BigInteger(1, ab).compareTo(Secp256k1.P) < 0);
  }
}
