package org.openshard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;
import org.openshard.bridge.backend.ChatBackend;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.buyer.BuyerNode;
import org.reactivestreams.Publisher;

/**
 * {@code bridge --buyer in-process}: a buyer node running in this JVM on a loopback port, and a
 * {@link GatewayBackend} on a channel to it. Closing the backend closes the channel, then the buyer.
 */
final class LocalBuyerBackend implements ChatBackend {
  private final BuyerNode buyer;
  private final GatewayBackend gateway;

  LocalBuyerBackend(BuyerNode buyer) {
    this.buyer = buyer;
    this.gateway = GatewayBackend.connect(buyer.target()).build();
  }

  @Override
  public CompletableFuture<ObjectNode> chatCompletion(ObjectNode request, RequestContext ctx) {
    return gateway.chatCompletion(request, ctx);
  }

  @Override
  public CompletableFuture<Publisher<ObjectNode>> streamChatCompletion(ObjectNode request, RequestContext ctx) {
    return gateway.streamChatCompletion(request, ctx);
  }

  @Override
  public CompletableFuture<ObjectNode> models(RequestContext ctx) {
    return gateway.models(ctx);
  }

  @Override
  public String serving() {
    return gateway.serving();
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      buyer.close();
    }
  }

  @Override
  public String toString() {
    return "LocalBuyerBackend(" + buyer.target() + ")";
  }
}
