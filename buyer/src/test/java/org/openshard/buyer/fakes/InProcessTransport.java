package org.openshard.buyer.fakes;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.buyer.transport.SellerTransport;

/** Seller endpoints as in-process server names. */
public final class InProcessTransport implements SellerTransport {
  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  @Override
  public Channel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, e -> InProcessChannelBuilder.forName(e).build());
  }

  @Override
  public void release(String endpoint) {
    ManagedChannel ch = channels.remove(endpoint);
    if (ch != null) {
      ch.shutdownNow();
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
