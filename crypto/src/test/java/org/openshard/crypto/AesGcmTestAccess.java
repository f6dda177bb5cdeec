package org.openshard.crypto;

/**
 * Test-only bridge to AesGcm's package-private entry points (any AES key size, any nonce length),
 * so the Wycheproof suite in {@code org.openshard.crypto.wycheproof} can run the non-protocol
 * parameter sets. Production code cannot reach these: this class lives in test sources.
 */
public final class AesGcmTestAccess {
  private AesGcmTestAccess() {}

  public static AesGcm ofAnySize(byte[] key) throws CryptoException {
    return AesGcm.ofAnySize(key);
  }

  public static byte[] encryptAnyNonce(AesGcm gcm, byte[] nonce, byte[] plaintext, byte[] aad) throws CryptoException {
    return gcm.encryptAnyNonce(nonce, plaintext, aad);
  }

  public static byte[] decryptAnyNonce(AesGcm gcm, byte[] nonce, byte[] ciphertextAndTag, byte[] aad)
      throws CryptoException {
    return gcm.decryptAnyNonce(nonce, ciphertextAndTag, aad);
  }
}
