package org.openshard.payments.channel;

import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChannelState;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.PaymentTerms;

/** Builds the seller's {@code PaymentRequired} frame (docs/protocol.md 9.4). */
public final class PaymentRequiredFrames {
  private PaymentRequiredFrames() {}

  /**
   * @param amountDue the increase of the cumulative amount the buyer must sign
   * @param maxRequestCost the request's maximum cost at the offering's rates
   * @param channel the seller's view of the buyer's channel, or null if the channel is unknown
   * @param terms the seller's payment terms
   */
  public static PaymentRequired of(Usdc amountDue, Usdc maxRequestCost, ChannelRecord channel, PaymentTerms terms) {
    if (amountDue.greaterThan(maxRequestCost)) {
      throw new IllegalArgumentException("amount due cannot exceed the request's maximum cost");
    }
    return PaymentRequired.newBuilder()
        .setAmountDue(amountDue.units())
        .setMaxRequestCost(maxRequestCost.units())
        .setChannel(channel == null ? ChannelState.getDefaultInstance() : channel.toState())
        .setTerms(terms)
        .build();
  }
}
