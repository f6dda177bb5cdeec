package org.openshard.bridge.dashboard;

import java.util.Objects;

/**
 * Metadata of one served request: never its prompt or completion. Immutable.
 *
 * @param timeMs Unix ms when the request arrived
 * @param model the model / service id asked for
 * @param seller peer id of the seller that served ("" if unknown or not routed to a seller)
 * @param status HTTP status returned (0 = the client went away before headers)
 * @param promptTokens from the response usage (-1 = unknown)
 * @param completionTokens from the response usage (-1 = unknown)
 * @param amountCharged USDC base units (0 if free or unknown)
 * @param receiptId the bridge's receipt id (X-Receipt-Id)
 * @param sellerReceiptId the seller-signed receipt id ("" if none)
 */
public record RequestRecord(
    long timeMs,
    String endpoint,
    String model,
    String seller,
    int status,
    long promptTokens,
    long completionTokens,
    long amountCharged,
    String receiptId,
    String sellerReceiptId,
    long durationMs) {
  public RequestRecord {
    endpoint = Objects.requireNonNullElse(endpoint, "");
    model = Objects.requireNonNullElse(model, "");
    seller = Objects.requireNonNullElse(seller, "");
    receiptId = Objects.requireNonNullElse(receiptId, "");
    sellerReceiptId = Objects.requireNonNullElse(sellerReceiptId, "");
  }
}
