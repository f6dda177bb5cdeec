package org.openshard.payments.receipts;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/**
 * Builds, signs and verifies {@link SignedReceipt}s: the serialized {@link Receipt} plus the seller
 * identity key's signature over exactly those bytes (context {@value #CONTEXT}, docs/protocol.md
 * SIG-1). Verifiers check the signature before parsing.
 */
public final class Receipts {
  public static final String CONTEXT = "openshard.v1.Receipt";

  private Receipts() {}

  /** 16 random bytes. */
  public static ByteString newReceiptId() {
    return ByteString.copyFrom(SecureRandoms.bytes(16));
  }

  /** SHA-256(session_id || encrypted_query): the request a receipt is for. */
  public static ByteString requestHash(byte[] sessionId, byte[] encryptedQuery) {
    return ByteString.copyFrom(Hashes.sha256(sessionId, encryptedQuery));
  }

  /** An envelope's request hash: {@code SHA-256(header.session_id || encrypted_query)} (§9.6). */
  public static ByteString requestHash(org.openshard.proto.v1.PrivacyEnvelope envelope) {
    return requestHash(envelope.getHeader().getSessionId().toByteArray(), envelope.getEncryptedQuery().toByteArray());
  }

  /** A resumed request's hash: {@code SHA-256(ticket || encrypted_query)} (RES-10). */
  public static ByteString requestHash(org.openshard.proto.v1.ResumedRequest resumed) {
    return requestHash(resumed.getTicket().toByteArray(), resumed.getEncryptedQuery().toByteArray());
  }

  /** Signs a receipt with the seller's identity key; the receipt's seller_id must be that key's address. */
  public static SignedReceipt sign(Secp256k1PrivateKey sellerIdentity, Receipt receipt) {
    String address = sellerIdentity.publicKey().ethereumAddress();
    if (!address.equalsIgnoreCase(receipt.getSellerId())) {
      throw new IllegalArgumentException("receipt seller_id is not the signing identity's address");
    }
    byte[] bytes = receipt.toByteArray();
    return SignedReceipt.newBuilder()
        .setReceipt(ByteString.copyFrom(bytes))
        .setSignature(ByteString.copyFrom(IdentitySignatures.sign(sellerIdentity, CONTEXT, bytes)))
        .build();
  }

  /**
   * Verifies the signature recovers {@code expectedSellerId}, then parses the receipt and checks it
   * names that seller.
   *
   * @throws PaymentException BAD_SIGNATURE or MALFORMED
   */
  public static Receipt verify(SignedReceipt signed, String expectedSellerId) throws PaymentException {
    EthAddress expected = EthAddress.parse(expectedSellerId, "seller_id");
    byte[] bytes = signed.getReceipt().toByteArray();
    String recovered;
    try {
      recovered = IdentitySignatures.recoverAddress(CONTEXT, bytes, signed.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw new PaymentException(Reason.BAD_SIGNATURE, "receipt.signature", "receipt signature does not verify: " + e.reason());
    }
    if (!EthAddress.parse(recovered, "signer").equals(expected)) {
      throw new PaymentException(Reason.BAD_SIGNATURE, "receipt.signature", "receipt is not signed by the seller");
    }
    Receipt r;
    try {
      r = Receipt.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new PaymentException(Reason.MALFORMED, "receipt.receipt", "receipt bytes do not parse");
    }
    if (!expected.equals(EthAddress.parse(r.getSellerId(), "receipt.seller_id"))) {
      throw new PaymentException(Reason.MALFORMED, "receipt.seller_id", "receipt names another seller");
    }
    if (r.getReceiptId().size() != 16) {
      throw new PaymentException(Reason.MALFORMED, "receipt.receipt_id", "receipt id must be 16 bytes");
    }
    if (r.getAmountCharged() < 0) {
      throw new PaymentException(Reason.AMOUNT_OVERFLOW, "receipt.amount_charged", "amount is above 2^63-1");
    }
    return r;
  }
}
