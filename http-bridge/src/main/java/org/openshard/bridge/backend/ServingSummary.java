package org.openshard.bridge.backend;

import java.util.Objects;

/**
 * Who served a request and what it cost, as a backend that routes to sellers learns it (the buyer
 * gateway's {@code RequestSummary}). Carries no content. Immutable.
 *
 * <p>{@code amountCharged} is an unsigned number of USDC base units (use {@link #amountChargedText()}).
 * Text fields are {@code ""} when unknown.
 */
public final class ServingSummary {
  private final String sellerId;
  private final String offeringId;
  private final long amountCharged;
  private final String sellerReceiptId;
  private final String nullifierHash;
  private final int attempts;

  public ServingSummary(
      String sellerId, String offeringId, long amountCharged, String sellerReceiptId, String nullifierHash, int attempts) {
    this.sellerId = Objects.requireNonNullElse(sellerId, "");
    this.offeringId = Objects.requireNonNullElse(offeringId, "");
    this.amountCharged = amountCharged;
    this.sellerReceiptId = Objects.requireNonNullElse(sellerReceiptId, "");
    this.nullifierHash = Objects.requireNonNullElse(nullifierHash, "");
    this.attempts = attempts;
  }

  /** The peer id of the seller that served. */
  public String sellerId() {
    return sellerId;
  }

  public String offeringId() {
    return offeringId;
  }

  /** USDC base units charged, unsigned. */
  public long amountCharged() {
    return amountCharged;
  }

  /** {@link #amountCharged()} in decimal, read as unsigned. */
  public String amountChargedText() {
    return Long.toUnsignedString(amountCharged);
  }

  /** Hex id of the seller-signed receipt, or {@code ""}. */
  public String sellerReceiptId() {
    return sellerReceiptId;
  }

  /** Hex SHA-256 of the nullifier the seller accepted, or {@code ""}. */
  public String nullifierHash() {
    return nullifierHash;
  }

  /** Sellers tried, the one that served included (0 if unknown). */
  public int attempts() {
    return attempts;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ServingSummary)) {
      return false;
    }
    ServingSummary s = (ServingSummary) o;
    return amountCharged == s.amountCharged
        && attempts == s.attempts
        && sellerId.equals(s.sellerId)
        && offeringId.equals(s.offeringId)
        && sellerReceiptId.equals(s.sellerReceiptId)
        && nullifierHash.equals(s.nullifierHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sellerId, offeringId, amountCharged, sellerReceiptId, nullifierHash, attempts);
  }

  @Override
  public String toString() {
    return "ServingSummary(seller=" + sellerId + ", offering=" + offeringId + ", charged=" + amountChargedText()
        + ", attempts=" + attempts + ")";
  }
}
