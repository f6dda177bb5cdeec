package org.openshard.crypto.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/** Signs and verifies seller encryption-key announcements (docs/protocol.md section 5). */
public final class KeyAnnouncements {
  /** The {@link IdentitySignatures} context of a key announcement. */
  public static final String SIGNATURE_CONTEXT = "openshard.v1.KeyAnnouncement";

  /** Upper bound on the serialized announcement we are willing to parse. */
  static final int MAX_ANNOUNCEMENT_BYTES = 1024;

  /** 9999-12-31T23:59:59Z: later windows are refused as malformed. */
  static final long MAX_UNIX_SECONDS = 253_402_300_799L;

  private KeyAnnouncements() {}

  /**
   * Announces {@code key} as the encryption key of the seller whose identity key is {@code
   * identityKey} (seller id = that key's Ethereum address).
   *
   * @throws IllegalStateException if {@code key} was erased
   */
  public static SignedKeyAnnouncement sign(Secp256k1PrivateKey identityKey, SellerEncryptionKey key) {
    Objects.requireNonNull(identityKey, "identityKey");
    if (key.isErased()) {
      throw new IllegalStateException("cannot announce an erased key: " + key.keyId());
    }
    byte[] announcement =
        KeyAnnouncement.newBuilder()
            .setSellerId(identityKey.publicKey().ethereumAddress())
            .setKeyId(key.keyId())
            .setCipherSuite(key.suite())
            .setPublicKey(ByteString.copyFrom(key.publicKey().encodedView()))
            .setNotBeforeUnix(key.notBefore().getEpochSecond())
            .setNotAfterUnix(key.notAfter().getEpochSecond())
            .build()
            .toByteArray();
    byte[] signature = IdentitySignatures.sign(identityKey, SIGNATURE_CONTEXT, announcement);
    return SignedKeyAnnouncement.newBuilder()
        .setAnnouncement(ByteString.copyFrom(announcement))
        .setSignature(ByteString.copyFrom(signature))
        .build();
  }

  /**
   * Checks a received announcement (rules KEY-3..KEY-8): the signature recovers {@code
   * expectedSellerId}, the announcement names that seller, the suite is supported, the key id is
   * well formed, the public key is a valid point (and not of small order), and {@code now} is
   * inside {@code [not_before, not_after)}.
   *
   * @throws CryptoException INVALID_SIGNATURE (bad signature, other signer, other seller_id),
   *     INVALID_ENCODING (not a KeyAnnouncement, malformed key id or window), UNSUPPORTED (suite),
   *     INVALID_PUBLIC_KEY, KEY_EXPIRED (now outside the window)
   */
  public static VerifiedKeyAnnouncement verify(SignedKeyAnnouncement signed, String expectedSellerId, Instant now)
      throws CryptoException {
    Objects.requireNonNull(now, "now");
    if (signed == null || expectedSellerId == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "announcement or expected seller id missing");
    }
    byte[] bytes = signed.getAnnouncement().toByteArray();
    if (bytes.length == 0 || bytes.length > MAX_ANNOUNCEMENT_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "announcement must be 1.." + MAX_ANNOUNCEMENT_BYTES + " bytes, was " + bytes.length);
    }
    String signer = IdentitySignatures.recoverAddress(SIGNATURE_CONTEXT, bytes, signed.getSignature().toByteArray());
    if (!signer.equals(expectedSellerId.toLowerCase(Locale.ROOT))) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_SIGNATURE,
          "announcement is signed by " + signer + ", not " + printable(expectedSellerId));
    }
    KeyAnnouncement a;
    try {
      a = KeyAnnouncement.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "announcement is not a KeyAnnouncement");
    }
    if (!signer.equals(a.getSellerId())) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_SIGNATURE,
          "announcement names seller " + printable(a.getSellerId()) + ", signed by " + signer);
    }
    CipherSuite suite = Suites.requireNumber(a.getCipherSuiteValue());
    String keyId = Identifiers.requireKeyId(a.getKeyId());
    EncryptionPublicKey publicKey = EncryptionPublicKey.fromBytes(suite, a.getPublicKey().toByteArray());
    publicKey.requireNotSmallOrder();
    if (a.getNotBeforeUnix() < 0
        || a.getNotBeforeUnix() >= a.getNotAfterUnix()
        || a.getNotAfterUnix() > MAX_UNIX_SECONDS) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "announcement window must satisfy 0 <= not_before < not_after <= " + MAX_UNIX_SECONDS);
    }
    Instant notBefore = Instant.ofEpochSecond(a.getNotBeforeUnix());
    Instant notAfter = Instant.ofEpochSecond(a.getNotAfterUnix());
    if (now.isBefore(notBefore) || !now.isBefore(notAfter)) {
      throw new CryptoException(
          CryptoException.Reason.KEY_EXPIRED,
          "key " + keyId + " is valid " + notBefore + " .. " + notAfter + ", now is " + now);
    }
    return new VerifiedKeyAnnouncement(signer, keyId, publicKey, notBefore, notAfter, signed);
  }

  /** Ids from the wire are echoed only if well formed. */
  private static String printable(String peerId) {
    return Identifiers.isPeerId(peerId.toLowerCase(Locale.ROOT)) ? peerId : "(malformed id)";
  }
}
