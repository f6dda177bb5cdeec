package org.openshard.crypto.envelope;

import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.CipherSuite;

/** The cipher suites this implementation supports and their sizes. */
final class Suites {
  /** 33-byte compressed SEC1 point. */
  static final int SECP256K1_PUBLIC_KEY_BYTES = 33;
  /** Raw u-coordinate. */
  static final int X25519_PUBLIC_KEY_BYTES = 32;

  private Suites() {}

  /**
   * @throws CryptoException UNSUPPORTED for UNSPECIFIED, unknown or unrecognized suites
   */
  static CipherSuite require(CipherSuite suite) throws CryptoException {
    if (suite == CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM
        || suite == CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM) {
      return suite;
    }
    throw new CryptoException(CryptoException.Reason.UNSUPPORTED, "cipher suite " + suite + " is not supported");
  }

  /** From the wire number (so unknown numbers are reported, not silently mapped). */
  static CipherSuite requireNumber(int number) throws CryptoException {
    CipherSuite s = CipherSuite.forNumber(number);
    if (s == null) {
      throw new CryptoException(CryptoException.Reason.UNSUPPORTED, "cipher suite number " + number + " is not supported");
    }
    return require(s);
  }

  static int publicKeyBytes(CipherSuite suite) throws CryptoException {
    switch (require(suite)) {
      case CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM:
        return SECP256K1_PUBLIC_KEY_BYTES;
      case CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM:
        return X25519_PUBLIC_KEY_BYTES;
      default:
        throw new CryptoException(CryptoException.Reason.UNSUPPORTED, "cipher suite " + suite + " is not supported");
    }
  }

  static boolean isSecp256k1(CipherSuite suite) {
    return suite == CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM;
  }
}
