package org.openshard.crypto.envelope;

import java.time.Instant;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/**
 * A key announcement whose signature, seller id, suite, public key and validity window were
 * checked by {@link KeyAnnouncements#verify}; the only way to obtain one, and the only key an
 * {@link EnvelopeSealer} encrypts to. Immutable.
 */
public final class VerifiedKeyAnnouncement {
  private final String sellerId;
  private final String keyId;
  private final EncryptionPublicKey publicKey;
  private final Instant notBefore;
  private final Instant notAfter;
  private final SignedKeyAnnouncement signed;

  VerifiedKeyAnnouncement(
      String sellerId,
      String keyId,
      EncryptionPublicKey publicKey,
      Instant notBefore,
      Instant notAfter,
      SignedKeyAnnouncement signed) {
    this.sellerId = sellerId;
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    this.signed = signed;
  }

  /** The seller's peer id, canonical lowercase "0x" + 40 hex. */
  public String sellerId() {
    return sellerId;
  }

  public String keyId() {
    return keyId;
  }

  public CipherSuite suite() {
    return publicKey.suite();
  }

  public EncryptionPublicKey publicKey() {
    return publicKey;
  }

  public Instant notBefore() {
    return notBefore;
  }

  public Instant notAfter() {
    return notAfter;
  }

  /** True iff {@code notBefore <= t < notAfter}. */
  public boolean isValidAt(Instant t) {
    return !t.isBefore(notBefore) && t.isBefore(notAfter);
  }

  /** The signed message exactly as received (to forward or cache). */
  public SignedKeyAnnouncement signed() {
    return signed;
  }

  @Override
  public String toString() {
    return "VerifiedKeyAnnouncement(" + sellerId + ", " + keyId + ", " + publicKey.suite() + ", "
        + notBefore + " .. " + notAfter + ")";
  }
}
