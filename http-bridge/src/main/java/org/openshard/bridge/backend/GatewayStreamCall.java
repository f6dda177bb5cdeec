package org.openshard.bridge.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.stream.StreamMessage;
import com.linecorp.armeria.common.stream.StreamWriter;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.reactivestreams.Publisher;

/**
 * One streaming ChatCompletion call, as a publisher of chunk objects with backpressure: the gRPC
 * call asks the gateway for one event at a time, and for the next only once the bridge has consumed
 * the previous chunk. {@link #result()} completes with the publisher at the first chunk (or at the
 * end of a stream without chunks), or fails with the mapped error if the call fails before that.
 * After that a failure ends the publisher with it, after the chunks already received. Cancelling the result or the publisher cancels the gRPC
 * call. gRPC calls the observer methods one at a time.
 */
final class GatewayStreamCall implements ClientResponseObserver<ChatCompletionRequest, ChatCompletionEvent> {
  private final RequestContext ctx;
  private final CompletableFuture<Publisher<ObjectNode>> result = new CompletableFuture<>();
  private final StreamWriter<ObjectNode> writer = StreamMessage.streaming();
  private ClientCallStreamObserver<ChatCompletionRequest> call;
  private boolean failed;

  GatewayStreamCall(RequestContext ctx) {
    this.ctx = ctx;
  }

  CompletableFuture<Publisher<ObjectNode>> result() {
    return result;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ChatCompletionRequest> call) {
    this.call = call;
    call.disableAutoRequestWithInitial(1);
    result.whenComplete(
        (v, err) -> {
          if (result.isCancelled()) {
            writer.abort();
            call.cancel("the client went away", null);
          }
        });
    // The bridge cancelled its subscription (client gone) or the stream was aborted: stop the call.
    writer
        .whenComplete()
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                call.cancel("the client went away", null);
              }
            });
  }

  @Override
  public void onNext(ChatCompletionEvent ev) {
    if (failed) {
      return;
    }
    switch (ev.getEventCase()) {
      case CHUNK:
        ObjectNode chunk;
        try {
          chunk = GatewayJson.object(ev.getChunk().getOpenaiChunkJson(), "chunk");
        } catch (BackendException e) {
          fail(e, true);
          return;
        }
        if (!writer.tryWrite(chunk)) {
          failed = true; // the consumer is gone; whenComplete() above cancels the call
          return;
        }
        result.complete(writer);
        writer.whenConsumed().thenRun(() -> call.request(1));
        return;
      case SUMMARY:
        ctx.served(GatewayJson.summary(ev.getSummary()));
        call.request(1);
        return;
      case COMPLETION:
        fail(BackendException.badGateway("the buyer gateway sent a completion for a streaming request", null), true);
        return;
      default:
        fail(BackendException.badGateway("the buyer gateway sent an unknown event", null), true);
    }
  }

  @Override
  public void onError(Throwable t) {
    if (!failed) {
      fail(GatewayErrors.map(t, ctx.e2ee()), false);
    }
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    result.complete(writer);
    writer.close();
  }

  private void fail(BackendException e, boolean cancelCall) {
    failed = true;
    if (!result.completeExceptionally(e)) {
      writer.close(e); // after the chunks already written (abort would drop them)
    } else {
      writer.abort();
    }
    if (cancelCall) {
      call.cancel("protocol error: " + e.getMessage(), null);
    }
  }
}
