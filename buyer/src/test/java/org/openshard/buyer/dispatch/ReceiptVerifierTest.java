package org.openshard.buyer.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.payments.receipts.Receipts;

/** Receipts verify the same way the first time (key recovered) and later (key remembered). */
class ReceiptVerifierTest {
  private static final byte[] RESPONSE_HASH = SecureRandoms.bytes(32);

  private static PrivacyEnvelope envelope() {
    return PrivacyEnvelope.newBuilder()
        .setHeader(EnvelopeHeader.newBuilder().setSessionId(ByteString.copyFrom(SecureRandoms.bytes(16))))
        .setEncryptedQuery(ByteString.copyFrom(SecureRandoms.bytes(64)))
        .build();
  }

  private static byte[] requestHash(PrivacyEnvelope env) {
    return Receipts.requestHash(env).toByteArray();
  }

  private static SignedReceipt receipt(Secp256k1PrivateKey signer, String sellerId, PrivacyEnvelope env) {
    byte[] rb =
        Receipt.newBuilder()
            .setReceiptId(ByteString.copyFrom(SecureRandoms.bytes(16)))
            .setSellerId(sellerId)
            .setRequestHash(Receipts.requestHash(env))
            .setResponseHash(ByteString.copyFrom(RESPONSE_HASH))
            .build()
            .toByteArray();
    return SignedReceipt.newBuilder()
        .setReceipt(ByteString.copyFrom(rb))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(signer, Receipts.CONTEXT, rb)))
        .build();
  }

  private static void assertRejected(SignedReceipt r, String sellerId, PrivacyEnvelope env) {
    BuyerException e = assertThrows(BuyerException.class, () -> ReceiptVerifier.verify(r, sellerId, requestHash(env), RESPONSE_HASH));
    assertEquals(ErrorCode.SIGNATURE_INVALID, e.code());
  }

  @Test
  void firstAndLaterReceiptsVerifyAndForgeriesFailEitherWay() throws Exception {
    Secp256k1PrivateKey seller = Secp256k1PrivateKey.generate();
    Secp256k1PrivateKey impostor = Secp256k1PrivateKey.generate();
    String id = seller.publicKey().ethereumAddress();
    PrivacyEnvelope env = envelope();

    // Before the seller's key is known: a forgery fails (recovery path).
    assertRejected(receipt(impostor, id, env), id, env);
    // First genuine receipt (recovery), then later ones (known key), also with the id upper-cased.
    for (int i = 0; i < 3; i++) {
      SignedReceipt ok = receipt(seller, id, env);
      assertEquals(16, ReceiptVerifier.verify(ok, id, requestHash(env), RESPONSE_HASH).receipt().getReceiptId().size());
    }
    String upper = "0x" + id.substring(2).toUpperCase(java.util.Locale.ROOT);
    ReceiptVerifier.verify(receipt(seller, id, env), upper, requestHash(env), RESPONSE_HASH);
    // Once known: a forgery under the seller's id still fails, so does a tampered signature.
    assertRejected(receipt(impostor, id, env), id, env);
    SignedReceipt good = receipt(seller, id, env);
    byte[] sig = good.getSignature().toByteArray();
    sig[64] = (byte) (55 - sig[64]);
    assertRejected(good.toBuilder().setSignature(ByteString.copyFrom(sig)).build(), id, env);
    // The seller's genuine receipt does not verify for another seller id.
    String otherId = impostor.publicKey().ethereumAddress();
    assertRejected(receipt(seller, otherId, env), otherId, env);
    // Other checks still apply: a receipt for another envelope.
    assertRejected(receipt(seller, id, envelope()), id, env);
  }
}
