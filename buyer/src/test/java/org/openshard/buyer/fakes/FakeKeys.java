package org.openshard.buyer.fakes;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.buyer.envelope.SellerKeyVerifier;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.KeyAnnouncement;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/** Test stand-in for the envelope module's key announcements (real identity signatures). */
public final class FakeKeys implements SellerKeyVerifier {
  public static final String CONTEXT = "openshard.v1.KeyAnnouncement";

  public static SignedKeyAnnouncement announce(Secp256k1PrivateKey identity, String keyId, Instant notBefore, Instant notAfter) {
    KeyAnnouncement a =
        KeyAnnouncement.newBuilder()
            .setSellerId(identity.publicKey().ethereumAddress())
            .setKeyId(keyId)
            .setCipherSuite(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM)
            .setPublicKey(ByteString.copyFrom(new byte[32]))
            .setNotBeforeUnix(notBefore.getEpochSecond())
            .setNotAfterUnix(notAfter.getEpochSecond())
            .build();
    byte[] bytes = a.toByteArray();
    return SignedKeyAnnouncement.newBuilder()
        .setAnnouncement(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(identity, CONTEXT, bytes)))
        .build();
  }

  @Override
  public SellerKey verify(SignedKeyAnnouncement signed, String sellerId, Instant now) throws BuyerException {
    try {
      IdentitySignatures.verify(sellerId, CONTEXT, signed.getAnnouncement().toByteArray(), signed.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw BuyerException.of(ErrorCode.SIGNATURE_INVALID, "key announcement signature: " + e.getMessage());
    }
    KeyAnnouncement a;
    try {
      a = KeyAnnouncement.parseFrom(signed.getAnnouncement());
    } catch (InvalidProtocolBufferException e) {
      throw BuyerException.invalidArgument("announcement", "does not parse");
    }
    SellerKey k =
        new SellerKey(sellerId, a.getKeyId(), Instant.ofEpochSecond(a.getNotBeforeUnix()), Instant.ofEpochSecond(a.getNotAfterUnix()), "fake");
    if (!k.isValidAt(now)) {
      throw BuyerException.of(ErrorCode.SELLER_KEY_EXPIRED, "key outside its window");
    }
    return k;
  }
}
