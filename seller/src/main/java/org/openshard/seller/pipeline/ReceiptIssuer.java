package org.openshard.seller.pipeline;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.Objects;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.receipts.Receipts;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.Usage;

/**
 * Issues the signed receipt that ends every successful Infer stream (signed by the seller's identity
 * key with {@link Receipts#sign}).
 */
public final class ReceiptIssuer {

  private final Secp256k1PrivateKey identityKey;
  private final String sellerId;
  private final Clock clock;

  public ReceiptIssuer(Secp256k1PrivateKey identityKey, Clock clock) {
    this.identityKey = Objects.requireNonNull(identityKey, "identityKey");
    this.sellerId = identityKey.publicKey().ethereumAddress();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String sellerId() {
    return sellerId;
  }

  /**
   * Builds and signs a receipt.
   *
   * @param responseHash SHA-256 over the ciphertexts of every chunk sent, in order
   */
  public SignedReceipt issue(
      ByteString requestHash, ByteString responseHash, Usage usage, long amount, Charge charge, String offeringId) {
    Receipt r =
        Receipt.newBuilder()
            .setReceiptId(Receipts.newReceiptId())
            .setSellerId(sellerId)
            .setRequestHash(requestHash)
            .setResponseHash(responseHash)
            .setUsage(usage)
            .setAmountCharged(amount)
            .setChannelId(charge.channelId())
            .setVoucherSequence(charge.voucherSequence())
            .setIssuedAtMs(clock.millis())
            .setOfferingId(offeringId)
            .build();
    return Receipts.sign(identityKey, r);
  }
}
