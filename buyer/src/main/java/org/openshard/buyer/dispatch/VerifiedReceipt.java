package org.openshard.buyer.dispatch;

import org.openshard.proto.v1.Receipt;

/** A seller receipt whose signature recovered the seller's peer id and whose hashes match. */
public final class VerifiedReceipt {
  private final Receipt receipt;
  private final String receiptIdHex;

  VerifiedReceipt(Receipt receipt, String receiptIdHex) {
    this.receipt = receipt;
    this.receiptIdHex = receiptIdHex;
  }

  public Receipt receipt() {
    return receipt;
  }

  public String receiptIdHex() {
    return receiptIdHex;
  }
}
