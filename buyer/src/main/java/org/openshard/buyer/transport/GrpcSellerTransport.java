package org.openshard.buyer.transport;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Plaintext gRPC (HTTP/2) channels to seller endpoints, one per endpoint, created on first use.
 * Inference content never travels in the clear: the envelope and response chunks are end-to-end
 * encrypted, so transport TLS adds nothing the envelope does not already give.
 */
public final class GrpcSellerTransport implements SellerTransport {
  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Executor executor;
  private final int maxInboundMessageBytes;

  /** @param executor runs call callbacks (null = gRPC's shared default) */
  public GrpcSellerTransport(Executor executor, int maxInboundMessageBytes) {
    this.executor = executor;
    this.maxInboundMessageBytes = maxInboundMessageBytes;
  }

  @Override
  public Channel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, this::open);
  }

  private ManagedChannel open(String endpoint) {
    NettyChannelBuilder b =
        NettyChannelBuilder.forTarget(endpoint)
            .usePlaintext()
            .maxInboundMessageSize(maxInboundMessageBytes)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveWithoutCalls(false);
    if (executor != null) {
      b.executor(executor);
    }
    return b.build();
  }

  @Override
  public void release(String endpoint) {
    ManagedChannel ch = channels.remove(endpoint);
    if (ch != null) {
      ch.shutdown();
    }
  }

  @Override
  public void close() {
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    channels.clear();
    for (ManagedChannel ch : all) {
      ch.shutdown();
    }
    for (ManagedChannel ch : all) {
      try {
        if (!ch.awaitTermination(2, TimeUnit.SECONDS)) {
          ch.shutdownNow();
        }
      } catch (InterruptedException e) {
        ch.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
