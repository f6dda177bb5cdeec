package org.openshard.seller.pipeline;

import java.util.Objects;
import org.openshard.seller.offering.Offering;

/**
 * What the payment gate decides on: the offering, the request's maximum cost at its rates, the
 * buyer's own ceiling ({@code buyerMaxCost}, 0 = none) and the stream's payment conversation.
 */
public record PaymentContext(
    Offering offering, long maxRequestCost, long buyerMaxCost, PaymentConversation conversation) {
  public PaymentContext {
    Objects.requireNonNull(offering, "offering");
    Objects.requireNonNull(conversation, "conversation");
  }
}
