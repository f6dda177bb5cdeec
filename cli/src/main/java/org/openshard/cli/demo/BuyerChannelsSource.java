package org.openshard.cli.demo;

import java.util.ArrayList;
import java.util.List;
import org.openshard.bridge.dashboard.ChannelView;
import org.openshard.bridge.dashboard.DashboardSource;
import org.openshard.bridge.dashboard.SellerView;
import org.openshard.payments.channel.BuyerChannel;
import org.openshard.payments.channel.BuyerChannels;

/**
 * The demo's status-page source: sellers from the registry (delegated) and the in-process buyer's
 * payment-channel balances (deposit and cumulative voucher amount, per payee).
 */
final class BuyerChannelsSource implements DashboardSource {
  private final DashboardSource sellers;
  private final BuyerChannels channels;

  BuyerChannelsSource(DashboardSource sellers, BuyerChannels channels) {
    this.sellers = sellers;
    this.channels = channels;
  }

  @Override
  public List<SellerView> sellers() {
    return sellers.sellers();
  }

  @Override
  public List<ChannelView> channels() {
    if (channels == null) {
      return List.of();
    }
    List<ChannelView> out = new ArrayList<>();
    for (BuyerChannel c : channels.channels()) {
      out.add(
          new ChannelView(
              c.id().hex0x(), c.payee().toString(), c.deposit().units(), c.cumulative().units(), c.status().name()));
    }
    return out;
  }
}
