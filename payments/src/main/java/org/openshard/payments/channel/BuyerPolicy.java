package org.openshard.payments.channel;

import org.openshard.payments.money.Usdc;

/**
 * How a buyer funds channels.
 *
 * @param initialDeposit deposit of a new channel (raised to the first amount due if that is larger)
 * @param topUpAmount smallest top-up (raised to what is needed)
 * @param maxDepositPerChannel the most one channel may ever hold; beyond it the channel cannot pay
 * @param channelLifetimeSeconds expiry of a new channel (and of a top-up's extension), from now
 * @param expiryMarginSeconds a channel closer than this to expiry is not used for new requests
 * @param maxRoundsPerRequest PaymentRequired rounds answered per request before giving up
 */
public record BuyerPolicy(
    Usdc initialDeposit,
    Usdc topUpAmount,
    Usdc maxDepositPerChannel,
    long channelLifetimeSeconds,
    long expiryMarginSeconds,
    int maxRoundsPerRequest) {

  public BuyerPolicy {
    if (initialDeposit.isZero() || maxDepositPerChannel.lessThan(initialDeposit)) {
      throw new IllegalArgumentException("need 0 < initialDeposit <= maxDepositPerChannel");
    }
    if (channelLifetimeSeconds <= expiryMarginSeconds || expiryMarginSeconds < 0) {
      throw new IllegalArgumentException("channel lifetime must exceed the expiry margin");
    }
    if (maxRoundsPerRequest < 1) {
      throw new IllegalArgumentException("maxRoundsPerRequest must be at least 1");
    }
  }

  /** 5 USDC deposits, 5 USDC top-ups, at most 50 USDC per channel, 7-day channels, 3 rounds. */
  public static BuyerPolicy defaults() {
    return new BuyerPolicy(Usdc.ofUnits(5_000_000), Usdc.ofUnits(5_000_000), Usdc.ofUnits(50_000_000),
        7 * 24 * 3600L, 2 * 3600L, 3);
  }
}
