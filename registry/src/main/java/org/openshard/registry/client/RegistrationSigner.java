package org.openshard.registry.client;

import com.google.protobuf.ByteString;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.Deregistration;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/**
 * Signs what a seller sends the registry with its identity key: registrations (context {@value
 * #REGISTRATION_CONTEXT}), key announcements ({@value #KEY_ANNOUNCEMENT_CONTEXT}) and
 * deregistrations ({@value #DEREGISTRATION_CONTEXT}). The signature covers the exact serialized
 * bytes, which travel alongside it.
 */
public final class RegistrationSigner {
  public static final String REGISTRATION_CONTEXT = "openshard.v1.SellerRegistration";
  public static final String KEY_ANNOUNCEMENT_CONTEXT = "openshard.v1.KeyAnnouncement";
  public static final String DEREGISTRATION_CONTEXT = "openshard.v1.Deregistration";

  private RegistrationSigner() {}

  /** The peer id of an identity key: its Ethereum address, lowercase. */
  public static String peerId(Secp256k1PrivateKey identity) {
    return identity.publicKey().ethereumAddress();
  }

  /**
   * Serializes and signs a registration. An empty {@code peer_id} is filled in with the key's
   * address.
   *
   * @throws IllegalArgumentException if {@code peer_id} names another key
   */
  public static RegisterRequest sign(Secp256k1PrivateKey identity, SellerRegistration registration) {
    String peerId = peerId(identity);
    SellerRegistration reg = registration;
    if (reg.getPeerId().isEmpty()) {
      reg = reg.toBuilder().setPeerId(peerId).build();
    } else if (!reg.getPeerId().equals(peerId)) {
      throw new IllegalArgumentException("registration peer_id " + reg.getPeerId() + " is not this key's address " + peerId);
    }
    byte[] bytes = reg.toByteArray();
    return RegisterRequest.newBuilder()
        .setRegistration(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, REGISTRATION_CONTEXT, bytes)))
        .build();
  }

  /**
   * Serializes and signs a key announcement. An empty {@code seller_id} is filled in.
   *
   * @throws IllegalArgumentException if {@code seller_id} names another key
   */
  public static SignedKeyAnnouncement signKeyAnnouncement(Secp256k1PrivateKey identity, KeyAnnouncement announcement) {
    String peerId = peerId(identity);
    KeyAnnouncement ka = announcement;
    if (ka.getSellerId().isEmpty()) {
      ka = ka.toBuilder().setSellerId(peerId).build();
    } else if (!ka.getSellerId().equals(peerId)) {
      throw new IllegalArgumentException("announcement seller_id " + ka.getSellerId() + " is not this key's address");
    }
    byte[] bytes = ka.toByteArray();
    return SignedKeyAnnouncement.newBuilder()
        .setAnnouncement(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, KEY_ANNOUNCEMENT_CONTEXT, bytes)))
        .build();
  }

  /** Convenience: announce an encryption public key valid from {@code notBeforeUnix} to {@code notAfterUnix}. */
  public static SignedKeyAnnouncement announceKey(
      Secp256k1PrivateKey identity,
      String keyId,
      CipherSuite suite,
      byte[] publicKey,
      long notBeforeUnix,
      long notAfterUnix) {
    return signKeyAnnouncement(
        identity,
        KeyAnnouncement.newBuilder()
            .setSellerId(peerId(identity))
            .setKeyId(keyId)
            .setCipherSuite(suite)
            .setPublicKey(ByteString.copyFrom(publicKey))
            .setNotBeforeUnix(notBeforeUnix)
            .setNotAfterUnix(notAfterUnix)
            .build());
  }

  /** A signed deregistration of this key's peer id at {@code timestampMs}. */
  public static DeregisterRequest signDeregistration(Secp256k1PrivateKey identity, long timestampMs) {
    byte[] bytes = Deregistration.newBuilder().setPeerId(peerId(identity)).setTimestampMs(timestampMs).build().toByteArray();
    return DeregisterRequest.newBuilder()
        .setDeregistration(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, DEREGISTRATION_CONTEXT, bytes)))
        .build();
  }
}
