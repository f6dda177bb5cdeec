package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HkdfTest {
  /** RFC 5869, Appendix A.1 (Test Case 1). */
  @Test
  void rfc5869TestCase1() throws CryptoException {
    byte[] ikm = Bytes.fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
    byte[] salt = Bytes.fromHex("000102030405060708090a0b0c");
    byte[] info = Bytes.fromHex("f0f1f2f3f4f5f6f7f8f9");
    assertEquals(
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        Bytes.hex(Hkdf.sha256(ikm, salt, info, 42)));
  }

  @Test
  void missingSaltEqualsEmptyEqualsHashLenZeros() throws CryptoException {
    byte[] ikm = SecureRandoms.bytes(32);
    byte[] a = Hkdf.sha256(ikm, null, null, 64);
    assertArrayEquals(a, Hkdf.sha256(ikm, new byte[0], new byte[0], 64));
    assertArrayEquals(a, Hkdf.sha256(ikm, new byte[32], null, 64));
  }

  @Test
  void outputLengthLimits() throws CryptoException {
    byte[] ikm = SecureRandoms.bytes(32);
    assertEquals(Hkdf.MAX_OUTPUT, Hkdf.sha256(ikm, null, null, Hkdf.MAX_OUTPUT).length);
    for (int n : new int[] {0, -1, Hkdf.MAX_OUTPUT + 1, Integer.MAX_VALUE}) {
      CryptoException e = assertThrows(CryptoException.class, () -> Hkdf.sha256(ikm, null, null, n));
      assertEquals(CryptoException.Reason.INVALID_ENCODING, e.reason());
    }
    assertThrows(CryptoException.class, () -> Hkdf.sha256(null, null, null, 32));
  }
}
