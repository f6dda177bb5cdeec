package org.openshard.payments.channel;

import com.google.protobuf.ByteString;
import org.openshard.payments.ChannelId;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChannelState;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.Usage;

/**
 * The result of settling an admission: what was charged (the metered cost, capped by the credit the
 * channel had), the cost itself, and the channel state after the charge. {@code repeated} is true
 * when the admission had already been settled (nothing was charged again).
 */
public record SettledPayment(
    ChannelId channelId, Usdc charged, Usdc cost, Usage usage, long voucherSequence, ChannelState channel, boolean repeated) {

  /** The part of the cost the channel could not cover (normally zero). */
  public Usdc shortfall() {
    return cost.saturatingMinus(charged);
  }

  /** Copies the payment fields into a receipt being built (usage, amount, channel, voucher sequence). */
  public Receipt.Builder applyTo(Receipt.Builder r) {
    return r.setUsage(usage)
        .setAmountCharged(charged.units())
        .setChannelId(ByteString.copyFrom(channelId.toBytes()))
        .setVoucherSequence(voucherSequence);
  }
}
