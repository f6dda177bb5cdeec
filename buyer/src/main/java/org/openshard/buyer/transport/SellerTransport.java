package org.openshard.buyer.transport;

import io.grpc.Channel;

/** Where calls to a seller endpoint go. Implementations cache one channel per endpoint. */
public interface SellerTransport extends AutoCloseable {
  /** A channel to {@code endpoint} ("host:port"). */
  Channel channel(String endpoint);

  /** Drops the channel to {@code endpoint} (e.g. the seller left the index). */
  void release(String endpoint);

  @Override
  void close();
}
