package org.openshard.bridge.dashboard;

import java.util.Objects;

/**
 * One payment channel's balances in USDC base units (6 decimals). Immutable.
 *
 * @param deposit what was locked in the channel
 * @param spent what vouchers have committed so far
 */
public record ChannelView(String channelId, String counterparty, long deposit, long spent, String state) {
  public ChannelView {
    Objects.requireNonNull(channelId, "channelId");
    counterparty = Objects.requireNonNullElse(counterparty, "");
    state = Objects.requireNonNullElse(state, "");
  }

  /** {@code deposit - spent}, never below zero. */
  public long remaining() {
    return Math.max(0, deposit - spent);
  }
}
