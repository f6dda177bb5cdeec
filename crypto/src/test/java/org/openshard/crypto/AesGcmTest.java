package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private static final byte[] PLAINTEXT = "the prompt is never logged, 32+ bytes long".getBytes(StandardCharsets.UTF_8);
  private static final byte[] AAD = "openshard/v1 request".getBytes(StandardCharsets.UTF_8);

  private static void assertDecryptionFailed(ThrowingOpen open) {
    CryptoException e = assertThrows(CryptoException.class, open::run);
    assertEquals(CryptoException.Reason.DECRYPTION_FAILED, e.reason(), e.getMessage());
  }

  @FunctionalInterface
  private interface ThrowingOpen {
    void run() throws CryptoException;
  }

  @Test
  void oneInstanceIsSafeToUseFromManyThreadsAtOnce() throws Exception {
    // Ciphers are reused between operations; concurrent callers must never share one.
    AesGcm aead = AesGcm.of(SecureRandoms.bytes(32));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    byte[] msg = SecureRandoms.bytes(1 + i % 64);
                    byte[] aad = SecureRandoms.bytes(i % 3);
                    byte[] sealed = aead.seal(msg, aad);
                    if (!java.util.Arrays.equals(msg, aead.open(sealed, aad))) {
                      return false;
                    }
                    sealed[sealed.length - 1] ^= 1;
                    try {
                      aead.open(sealed, aad);
                      return false;
                    } catch (CryptoException expected) {
                      // a failed open must not poison the next one
                    }
                  }
                  return true;
                }));
      }
      for (var r : results) {
        org.junit.jupiter.api.Assertions.assertTrue(r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void sealOpenRoundTrip() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    assertEquals(AesGcm.NONCE_BYTES + PLAINTEXT.length + AesGcm.TAG_BYTES, sealed.length);
    assertArrayEquals(PLAINTEXT, gcm.open(sealed, AAD));
  }

  @Test
  void emptyPlaintextAndMissingAadRoundTrip() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(new byte[0], null);
    assertEquals(AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES, sealed.length);
    assertArrayEquals(new byte[0], gcm.open(sealed, new byte[0]));
  }

  @Test
  void sealUsesAFreshNonceEachTime() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] a = gcm.seal(PLAINTEXT, AAD);
    byte[] b = gcm.seal(PLAINTEXT, AAD);
    assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)), "nonces repeat");
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void encryptWithCallerNonceMatchesDecrypt() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] nonce = SecureRandoms.bytes(12);
    byte[] ct = gcm.encrypt(nonce, PLAINTEXT, AAD);
    assertArrayEquals(PLAINTEXT, gcm.decrypt(nonce, ct, AAD));
    assertArrayEquals(PLAINTEXT, gcm.open(Bytes.concat(nonce, ct), AAD));
  }

  /** Flips one bit at every position of nonce || ciphertext || tag: each must fail to open. */
  @Test
  void everyFlippedBitInNonceCiphertextOrTagFails() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= (byte) (1 << (i % 8));
      assertDecryptionFailed(() -> gcm.open(tampered, AAD));
    }
  }

  @Test
  void flippedBitInNonceFails() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] nonce = SecureRandoms.bytes(12);
    byte[] ct = gcm.encrypt(nonce, PLAINTEXT, AAD);
    byte[] other = nonce.clone();
    other[11] ^= 0x01;
    assertDecryptionFailed(() -> gcm.decrypt(other, ct, AAD));
  }

  @Test
  void flippedBitInTagFails() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= (byte) 0x80;
    assertDecryptionFailed(() -> gcm.open(tampered, AAD));
  }

  @Test
  void flippedBitInAadFails() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    for (int i = 0; i < AAD.length; i++) {
      byte[] aad = AAD.clone();
      aad[i] ^= 0x01;
      assertDecryptionFailed(() -> gcm.open(sealed, aad));
    }
    assertDecryptionFailed(() -> gcm.open(sealed, null));
    assertDecryptionFailed(() -> gcm.open(sealed, Bytes.concat(AAD, new byte[] {0})));
  }

  @Test
  void wrongKeyFails() throws CryptoException {
    byte[] key = SecureRandoms.bytes(32);
    byte[] sealed = AesGcm.of(key).seal(PLAINTEXT, AAD);
    byte[] other = key.clone();
    other[0] ^= 0x01;
    assertDecryptionFailed(() -> AesGcm.of(other).open(sealed, AAD));
    assertDecryptionFailed(() -> AesGcm.of(SecureRandoms.bytes(32)).open(sealed, AAD));
  }

  @Test
  void truncatedOrExtendedCiphertextFails() throws CryptoException {
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    assertDecryptionFailed(() -> gcm.open(Arrays.copyOf(sealed, sealed.length - 1), AAD));
    assertDecryptionFailed(() -> gcm.open(Bytes.concat(sealed, new byte[] {0}), AAD));
    assertDecryptionFailed(() -> gcm.open(Arrays.copyOf(sealed, 27), AAD));
    assertDecryptionFailed(() -> gcm.open(null, AAD));
  }

  @Test
  void keyAndNonceSizesAreChecked() throws CryptoException {
    for (int n : new int[] {0, 16, 24, 31, 33}) {
      CryptoException e = assertThrows(CryptoException.class, () -> AesGcm.of(new byte[n]));
      assertEquals(CryptoException.Reason.INVALID_ENCODING, e.reason());
    }
    assertThrows(CryptoException.class, () -> AesGcm.of(null));
    AesGcm gcm = AesGcm.of(SecureRandoms.bytes(32));
    for (int n : new int[] {0, 8, 11, 13, 16}) {
      CryptoException e = assertThrows(CryptoException.class, () -> gcm.encrypt(new byte[n], PLAINTEXT, AAD));
      assertEquals(CryptoException.Reason.INVALID_ENCODING, e.reason());
      assertThrows(CryptoException.class, () -> gcm.decrypt(new byte[n], new byte[32], AAD));
    }
  }

  @Test
  void keyIsCopied() throws CryptoException {
    byte[] key = SecureRandoms.bytes(32);
    AesGcm gcm = AesGcm.of(key);
    byte[] sealed = gcm.seal(PLAINTEXT, AAD);
    Arrays.fill(key, (byte) 0);
    assertArrayEquals(PLAINTEXT, gcm.open(sealed, AAD));
  }
}
