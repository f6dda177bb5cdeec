package org.openshard.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with associated data, 12-byte nonces and 16-byte tags.
 *
 * <p>Uses the JDK provider (SunJCE), which uses AES-NI and carry-less multiplication; it measured
 * several times faster than BouncyCastle's pure-Java GCM (docs/benchmarks.md).
 *
 * <p>{@link #seal} picks a random nonce and returns {@code nonce || ciphertext || tag}. {@link
 * #encrypt} takes the nonce from the caller, for protocols that derive nonces (stream chunks) —
 * never call it twice with the same key and nonce.
 */
public final class AesGcm {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 12;
  public static final int TAG_BYTES = 16;

  private final SecretKeySpec key;
  // One idle Cipher per mode, reused by the next operation (re-initialised with its nonce each
  // time: the JDK keeps the expanded key when the key is unchanged). A concurrent operation that
  // finds the slot empty makes its own.
  private final AtomicReference<Cipher> idleEncryptor = new AtomicReference<>();
  private final AtomicReference<Cipher> idleDecryptor = new AtomicReference<>();

  private AesGcm(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A 256-bit key. The array is copied. */
  public static AesGcm of(byte[] key256) throws CryptoException {
    if (key256 == null || key256.length != KEY_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "AES-256-GCM key must be 32 bytes, was " + (key256 == null ? "missing" : key256.length));
    }
    return new AesGcm(key256.clone());
  }

  /** Any AES key size (16, 24 or 32 bytes). For test vectors only; the protocol uses {@link #of}. */
  static AesGcm ofAnySize(byte[] key) throws CryptoException {
    if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "AES key must be 16, 24 or 32 bytes");
    }
    return new AesGcm(key.clone());
  }

  /** Encrypts under a fresh random nonce: returns {@code nonce (12) || ciphertext || tag (16)}. */
  public byte[] seal(byte[] plaintext, byte[] associatedData) throws CryptoException {
    byte[] nonce = SecureRandoms.bytes(NONCE_BYTES);
    byte[] ct = encrypt(nonce, plaintext, associatedData);
    return Bytes.concat(nonce, ct);
  }

  /** Reverses {@link #seal}. */
  public byte[] open(byte[] sealed, byte[] associatedData) throws CryptoException {
    if (sealed == null || sealed.length < NONCE_BYTES + TAG_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.DECRYPTION_FAILED, "sealed ciphertext is shorter than nonce + tag");
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 0, NONCE_BYTES);
    byte[] ct = Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length);
    return decrypt(nonce, ct, associatedData);
  }

  /** Encrypts with a caller-chosen 12-byte nonce: returns {@code ciphertext || tag}. */
  public byte[] encrypt(byte[] nonce, byte[] plaintext, byte[] associatedData) throws CryptoException {
    checkNonce(nonce);
    return encryptAnyNonce(nonce, plaintext, associatedData);
  }

  /** Reverses {@link #encrypt}. */
  public byte[] decrypt(byte[] nonce, byte[] ciphertextAndTag, byte[] associatedData) throws CryptoException {
    checkNonce(nonce);
    return decryptAnyNonce(nonce, ciphertextAndTag, associatedData);
  }

  byte[] encryptAnyNonce(byte[] nonce, byte[] plaintext, byte[] associatedData) throws CryptoException {
    try {
      Cipher c = take(idleEncryptor);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      if (associatedData != null && associatedData.length > 0) {
        c.updateAAD(associatedData);
      }
      byte[] out = c.doFinal(plaintext == null ? new byte[0] : plaintext);
      idleEncryptor.set(c);
      return out;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "AES-GCM encryption failed", e);
    }
  }

  byte[] decryptAnyNonce(byte[] nonce, byte[] ciphertextAndTag, byte[] associatedData) throws CryptoException {
    if (ciphertextAndTag == null || ciphertextAndTag.length < TAG_BYTES) {
      throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, "ciphertext is shorter than the tag");
    }
    try {
      Cipher c = take(idleDecryptor);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
      if (associatedData != null && associatedData.length > 0) {
        c.updateAAD(associatedData);
      }
      byte[] out = c.doFinal(ciphertextAndTag);
      idleDecryptor.set(c);
      return out;
    } catch (AEADBadTagException e) {
      throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, "AES-GCM tag mismatch");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, "AES-GCM decryption failed", e);
    }
  }

  /** The idle Cipher of a slot, or a new one. (A Cipher whose operation failed is not returned.) */
  private static Cipher take(AtomicReference<Cipher> slot) throws GeneralSecurityException {
    Cipher c = slot.getAndSet(null);
    return c != null ? c : Cipher.getInstance("AES/GCM/NoPadding");
  }

  private static void checkNonce(byte[] nonce) throws CryptoException {
    if (nonce == null || nonce.length != NONCE_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "AES-GCM nonce must be 12 bytes, was " + (nonce == null ? "missing" : nonce.length));
    }
  }
}
