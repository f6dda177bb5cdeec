package org.openshard.buyer.dispatch;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.payments.receipts.Receipts;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/**
 * Checks a seller's signed receipt: the signature (context {@code openshard.v1.Receipt}) recovers
 * the seller's peer id, the receipt names that seller, its request hash is SHA-256(session_id ||
 * encrypted_query) of the envelope sent, and its response hash is SHA-256 over the ciphertexts of
 * the chunks received, in order.
 *
 * <p>The first receipt from a seller is checked by recovering its key; the key is then remembered
 * (per peer id, at most {@value #MAX_KNOWN_KEYS}) and later receipts are checked against it
 * directly, which accepts exactly the same signatures at a fraction of the cost.
 */
public final class ReceiptVerifier {
  static final int RECEIPT_ID_BYTES = 16;
  static final int MAX_KNOWN_KEYS = 4096;
  /** Lower-case peer id → the identity key that a receipt signature recovered to that peer id. */
  private static final ConcurrentHashMap<String, Secp256k1PublicKey> KNOWN_KEYS = new ConcurrentHashMap<>();

  private ReceiptVerifier() {}

  /**
   * Verifies a receipt for the request whose hash is {@code requestHash} (an envelope's, or a
   * resumed request's, RES-10).
   *
   * @throws BuyerException SIGNATURE_INVALID saying what does not match
   */
  public static VerifiedReceipt verify(SignedReceipt signed, String sellerId, byte[] requestHash, byte[] responseHash)
      throws BuyerException {
    byte[] payload = signed.getReceipt().toByteArray();
    try {
      verifySignature(sellerId, payload, signed.getSignature().toByteArray());
    } catch (CryptoException e) {
      throw invalid("receipt signature does not recover the seller's peer id: " + e.getMessage());
    }
    Receipt r;
    try {
      r = Receipt.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw invalid("receipt bytes do not parse");
    }
    if (!r.getSellerId().equalsIgnoreCase(sellerId)) {
      throw invalid("receipt names seller " + r.getSellerId());
    }
    if (r.getReceiptId().size() != RECEIPT_ID_BYTES) {
      throw invalid("receipt id is not 16 bytes");
    }
    if (!MessageDigest.isEqual(r.getRequestHash().toByteArray(), requestHash)) {
      throw invalid("receipt request hash does not match the request sent");
    }
    if (!MessageDigest.isEqual(r.getResponseHash().toByteArray(), responseHash)) {
      throw invalid("receipt response hash does not match the chunks received");
    }
    return new VerifiedReceipt(r, Bytes.hex(r.getReceiptId().toByteArray()));
  }

  private static void verifySignature(String sellerId, byte[] payload, byte[] signature) throws CryptoException {
    if (sellerId == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "no seller id to check against");
    }
    String id = sellerId.toLowerCase(Locale.ROOT);
    Secp256k1PublicKey known = KNOWN_KEYS.get(id);
    if (known != null) {
      IdentitySignatures.verify(known, Receipts.CONTEXT, payload, signature);
      return;
    }
    Secp256k1PublicKey recovered = IdentitySignatures.recoverPublicKey(Receipts.CONTEXT, payload, signature);
    if (!recovered.ethereumAddress().equals(id)) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature is not by " + sellerId);
    }
    if (KNOWN_KEYS.size() >= MAX_KNOWN_KEYS) {
      KNOWN_KEYS.clear();
    }
    KNOWN_KEYS.put(id, recovered);
  }

  private static BuyerException invalid(String message) {
    return BuyerException.of(ErrorCode.SIGNATURE_INVALID, message);
  }
}
