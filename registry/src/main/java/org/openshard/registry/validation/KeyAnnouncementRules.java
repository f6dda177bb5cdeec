package org.openshard.registry.validation;

import com.google.protobuf.InvalidProtocolBufferException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.X25519;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.SignedKeyAnnouncement;
import org.openshard.registry.RegistryException;

/**
 * REG-9: the encryption key announcement inside a registration. The cheap structural checks run in
 * {@link #parse}; the signature in {@link #verifySignature}.
 */
public final class KeyAnnouncementRules {
  public static final String CONTEXT = "openshard.v1.KeyAnnouncement";
  private static final String FIELD = "encryption_key";
  /** A fixed scalar used only to detect small-order X25519 points (all-zero shared secret). */
  private static final X25519.PrivateKey PROBE = X25519.PrivateKey.generate();

  private KeyAnnouncementRules() {}

  /** Structural checks; returns the decoded announcement. */
  public static KeyAnnouncement parse(SignedKeyAnnouncement signed, String peerId, long nowMs, long skewMs)
      throws RegistryException {
    if (signed.getAnnouncement().isEmpty()) {
      throw RegistryException.invalid(FIELD, "encryption_key (a signed key announcement) is required");
    }
    if (signed.getAnnouncement().size() > Limits.MAX_ANNOUNCEMENT_BYTES) {
      throw RegistryException.limit(
          FIELD + ".announcement", "key announcement is larger than " + Limits.MAX_ANNOUNCEMENT_BYTES + " bytes");
    }
    if (signed.getSignature().size() != IdentitySignatures.SIGNATURE_BYTES) {
      throw RegistryException.signature(FIELD + ".signature", "key announcement signature must be 65 bytes");
    }
    KeyAnnouncement ka;
    try {
      ka = KeyAnnouncement.parseFrom(signed.getAnnouncement());
    } catch (InvalidProtocolBufferException e) {
      throw RegistryException.invalid(FIELD + ".announcement", "key announcement does not parse as KeyAnnouncement");
    }
    if (!peerId.equals(ka.getSellerId())) {
      throw RegistryException.invalid(
          FIELD + ".seller_id", "key announcement seller_id must equal the registration's peer_id");
    }
    if (!Identifiers.KEY_ID.matcher(ka.getKeyId()).matches()) {
      throw RegistryException.invalid(FIELD + ".key_id", "key_id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    checkPublicKey(ka);
    long nowUnix = Math.floorDiv(nowMs, 1000);
    long skewUnix = Math.floorDiv(skewMs, 1000);
    if (ka.getNotBeforeUnix() <= 0 || ka.getNotAfterUnix() <= ka.getNotBeforeUnix()) {
      throw RegistryException.invalid(
          FIELD + ".not_after_unix", "key validity window must have 0 < not_before_unix < not_after_unix");
    }
    if (ka.getNotBeforeUnix() > nowUnix + skewUnix || ka.getNotAfterUnix() <= nowUnix) {
      throw new RegistryException(
          ErrorCode.SELLER_KEY_EXPIRED,
          FIELD + ".not_after_unix",
          "the announced encryption key is not valid now (outside its validity window)");
    }
    return ka;
  }

  private static void checkPublicKey(KeyAnnouncement ka) throws RegistryException {
    byte[] pk = ka.getPublicKey().toByteArray();
    switch (ka.getCipherSuite()) {
      case CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM:
        if (pk.length != 33) {
          throw invalidKey("secp256k1 encryption key must be 33 bytes (compressed SEC1), was " + pk.length);
        }
        try {
          Secp256k1PublicKey.fromBytes(pk);
        } catch (CryptoException e) {
          throw invalidKey("secp256k1 encryption key is not a valid curve point");
        }
        return;
      case CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM:
        if (pk.length != X25519.KEY_BYTES) {
          throw invalidKey("X25519 encryption key must be 32 bytes, was " + pk.length);
        }
        try {
          PROBE.agree(X25519.PublicKey.fromBytes(pk));
        } catch (CryptoException e) {
          throw invalidKey("X25519 encryption key is a small-order point");
        }
        return;
      default:
        throw new RegistryException(
            ErrorCode.UNSUPPORTED_VERSION,
            FIELD + ".cipher_suite",
            "unsupported cipher suite " + ka.getCipherSuiteValue());
    }
  }

  private static RegistryException invalidKey(String message) {
    return new RegistryException(
        ErrorCode.INVALID_PUBLIC_KEY, FIELD + ".public_key", message);
  }

  /** The announcement must be signed by the registration's identity key. */
  public static void verifySignature(SignedKeyAnnouncement signed, String peerId) throws RegistryException {
    String signer;
    try {
      signer = IdentitySignatures.recoverAddress(CONTEXT, signed.getAnnouncement().toByteArray(), signed.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw RegistryException.signature(FIELD + ".signature", "key announcement signature is invalid");
    }
    if (!signer.equals(peerId)) {
      throw RegistryException.signature(
          FIELD + ".signature", "key announcement is not signed by the registration's identity key");
    }
  }
}
