package org.openshard.bench.inference;

import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;

/**
 * Relay A of the {@link PlainRelay}: the Gateway service the application calls. It forwards the
 * request to relay B and relay B's events back unchanged (the deadline follows through gRPC's
 * context; a client cancel cancels the call to B). Like the buyer's gateway it does not wait for
 * its own stream to be ready: gRPC buffers the few small events of an answer.
 */
final class RelayFrontService extends GatewayGrpc.GatewayImplBase {
  private final GatewayGrpc.GatewayStub relayB;

  RelayFrontService(Channel relayB) {
    this.relayB = GatewayGrpc.newStub(Objects.requireNonNull(relayB));
  }

  @Override
  public void chatCompletion(ChatCompletionRequest request, StreamObserver<ChatCompletionEvent> observer) {
    ServerCallStreamObserver<ChatCompletionEvent> out = (ServerCallStreamObserver<ChatCompletionEvent>) observer;
    relayB.chatCompletion(request, new Forward(out));
  }

  /** Relay B's events to the application, in order; callbacks arrive serially from one call. */
  private static final class Forward implements ClientResponseObserver<ChatCompletionRequest, ChatCompletionEvent> {
    private final ServerCallStreamObserver<ChatCompletionEvent> out;

    Forward(ServerCallStreamObserver<ChatCompletionEvent> out) {
      this.out = out;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ChatCompletionRequest> call) {
      out.setOnCancelHandler(() -> call.cancel("the application cancelled", null));
    }

    @Override
    public synchronized void onNext(ChatCompletionEvent event) {
      if (!out.isCancelled()) {
        out.onNext(event);
      }
    }

    @Override
    public synchronized void onError(Throwable t) {
      if (!out.isCancelled()) {
        out.onError(t);
      }
    }

    @Override
    public synchronized void onCompleted() {
      if (!out.isCancelled()) {
        out.onCompleted();
      }
    }
  }
}
