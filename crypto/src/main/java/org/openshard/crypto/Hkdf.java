package org.openshard.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869). */
public final class Hkdf {
  /** Largest output RFC 5869 allows for SHA-256: 255 * 32. */
  public static final int MAX_OUTPUT = 255 * 32;

  private Hkdf() {}

  /**
   * Extract-then-expand.
   *
   * @param salt may be null or empty (treated as 32 zero bytes, per the RFC)
   * @param info may be null or empty
   */
  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) throws CryptoException {
    if (ikm == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "HKDF input key material is missing");
    }
    if (length <= 0 || length > MAX_OUTPUT) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING, "HKDF output length must be 1.." + MAX_OUTPUT + ", was " + length);
    }
    HKDFBytesGenerator gen = new HKDFBytesGenerator(new SHA256Digest());
    gen.init(new HKDFParameters(ikm, salt == null || salt.length == 0 ? null : salt, info));
    byte[] out = new byte[length];
    gen.generateBytes(out, 0, length);
    return out;
  }
}
