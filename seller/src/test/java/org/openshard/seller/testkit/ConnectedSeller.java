package org.openshard.seller.testkit;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.openshard.seller.SellerNode;

/** A started seller node with a plaintext loopback channel and a {@link TestBuyer} on it. */
public final class ConnectedSeller implements AutoCloseable {
  private final SellerNode node;
  private final ManagedChannel channel;
  private final TestBuyer buyer;

  private ConnectedSeller(SellerNode node) {
    this.node = node;
    this.channel = NettyChannelBuilder.forTarget(node.target()).usePlaintext().build();
    this.buyer = new TestBuyer(channel, node.peerId());
  }

  /** Builds and starts the node, then connects to it. */
  public static ConnectedSeller start(SellerNode.Builder builder) throws Exception {
    return new ConnectedSeller(builder.build().start());
  }

  public SellerNode node() {
    return node;
  }

  public TestBuyer buyer() {
    return buyer;
  }

  /** Shuts the channel down, then closes the node. */
  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    node.close();
  }
}
