package org.openshard.crypto.envelope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.CipherSuite;

/**
 * A seller's medium-term encryption key: the private half, its key id, suite and validity window
 * (whole seconds, {@code [notBefore, notAfter)}). Announced with {@link KeyAnnouncements#sign},
 * held in a {@link SellerKeyRing}, and erased with {@link #erase()} once its grace period is over
 * (docs/protocol.md KEY-1..). {@link #toString()} never prints the secret.
 */
public final class SellerEncryptionKey {
  private final String keyId;
  private final Instant notBefore;
  private final Instant notAfter;
  private final AgreementKey key;

  private SellerEncryptionKey(String keyId, Instant notBefore, Instant notAfter, AgreementKey key) {
    this.keyId = keyId;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.key = key;
  }

  /**
   * A fresh key from {@link org.openshard.crypto.SecureRandoms}. The window is truncated to whole
   * seconds, as announced.
   *
   * @throws CryptoException UNSUPPORTED for an unknown suite; INVALID_ENCODING for a malformed key id
   *     or an empty or negative window
   */
  public static SellerEncryptionKey generate(CipherSuite suite, String keyId, Instant notBefore, Instant notAfter)
      throws CryptoException {
    Suites.require(suite);
    Identifiers.requireKeyId(keyId);
    Instant nb = seconds(notBefore);
    Instant na = seconds(notAfter);
    checkWindow(nb, na);
    return new SellerEncryptionKey(keyId, nb, na, AgreementKey.generate(suite));
  }

  /**
   * Restores a key from its 32 private bytes (secp256k1: big-endian scalar in [1, n-1]; X25519:
   * RFC 7748 scalar bytes). The array is copied; the caller should wipe its own copy.
   *
   * @throws CryptoException as {@link #generate}, or INVALID_PRIVATE_KEY
   */
  public static SellerEncryptionKey fromPrivateKeyBytes(
      CipherSuite suite, String keyId, byte[] privateKey, Instant notBefore, Instant notAfter) throws CryptoException {
    Suites.require(suite);
    Identifiers.requireKeyId(keyId);
    Instant nb = seconds(notBefore);
    Instant na = seconds(notAfter);
    checkWindow(nb, na);
    return new SellerEncryptionKey(keyId, nb, na, AgreementKey.fromBytes(suite, privateKey));
  }

  public String keyId() {
    return keyId;
  }

  public CipherSuite suite() {
    return key.suite();
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  public EncryptionPublicKey publicKey() {
    return key.publicKey();
  }

  /** True iff {@code notBefore <= t < notAfter}. */
  public boolean isValidAt(Instant t) {
    return !t.isBefore(notBefore) && t.isBefore(notAfter);
  }

  /** Wipes the private key. Afterwards nothing encrypted to this key can be opened. Idempotent. */
  public void erase() {
    key.erase();
  }

  public boolean isErased() {
    return key.isErased();
  }

  /** ECDH with a buyer's ephemeral key; see {@link AgreementKey#agree}. */
  byte[] agree(EncryptionPublicKey ephemeral) throws CryptoException {
    return key.agree(ephemeral);
  }

  static void checkWindow(Instant notBefore, Instant notAfter) throws CryptoException {
    if (notBefore.getEpochSecond() < 0
        || !notBefore.isBefore(notAfter)
        || notAfter.getEpochSecond() > KeyAnnouncements.MAX_UNIX_SECONDS) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "key validity window must satisfy 0 <= not_before < not_after <= year 9999");
    }
  }

  private static Instant seconds(Instant t) {
    return Objects.requireNonNull(t, "validity bound").truncatedTo(ChronoUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "SellerEncryptionKey(" + keyId + ", " + key.suite() + ", " + notBefore + " .. " + notAfter
        + (isErased() ? ", erased" : "") + ")";
  }
}
