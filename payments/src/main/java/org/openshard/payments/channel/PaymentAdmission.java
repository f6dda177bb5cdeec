package org.openshard.payments.channel;

import org.openshard.payments.ChannelId;
import org.openshard.payments.money.Rates;
import org.openshard.payments.money.Usdc;

/**
 * An admitted request: {@code reserved} credit is held on the channel until {@link
 * ChannelValidator#settle} charges the metered usage or {@link ChannelValidator#release} drops it.
 */
public record PaymentAdmission(
    String admissionId, ChannelId channelId, Usdc reserved, Rates rates, long voucherSequence, Usdc authorized) {}
