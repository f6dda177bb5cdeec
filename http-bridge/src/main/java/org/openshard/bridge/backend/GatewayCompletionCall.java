package org.openshard.bridge.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;

/**
 * One non-streaming ChatCompletion call: expects one {@code completion} event then a {@code
 * summary}, and completes {@link #result()} when the call ends. Cancelling the result cancels the
 * gRPC call. gRPC calls the observer methods one at a time.
 */
final class GatewayCompletionCall implements ClientResponseObserver<ChatCompletionRequest, ChatCompletionEvent> {
  private final RequestContext ctx;
  private final CompletableFuture<ObjectNode> result = new CompletableFuture<>();
  private ClientCallStreamObserver<ChatCompletionRequest> call;
  private ObjectNode completion;
  private boolean failed;

  GatewayCompletionCall(RequestContext ctx) {
    this.ctx = ctx;
  }

  CompletableFuture<ObjectNode> result() {
    return result;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<ChatCompletionRequest> call) {
    this.call = call;
    result.whenComplete(
        (v, err) -> {
          if (result.isCancelled()) {
            call.cancel("the client went away", null);
          }
        });
  }

  @Override
  public void onNext(ChatCompletionEvent ev) {
    if (failed) {
      return;
    }
    try {
      switch (ev.getEventCase()) {
        case COMPLETION:
          if (completion != null) {
            throw BackendException.badGateway("the buyer gateway sent two completions", null);
          }
          completion = GatewayJson.object(ev.getCompletion().getOpenaiResponseJson(), "completion");
          break;
        case SUMMARY:
          ctx.served(GatewayJson.summary(ev.getSummary()));
          break;
        case CHUNK:
          throw BackendException.badGateway("the buyer gateway streamed chunks for a non-streaming request", null);
        default:
          throw BackendException.badGateway("the buyer gateway sent an unknown event", null);
      }
    } catch (BackendException e) {
      failed = true;
      result.completeExceptionally(e);
      call.cancel("protocol error: " + e.getMessage(), null);
    }
  }

  @Override
  public void onError(Throwable t) {
    // After a protocol error this is our own cancellation; the result already failed.
    result.completeExceptionally(GatewayErrors.map(t, ctx.e2ee()));
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    if (completion == null) {
      result.completeExceptionally(BackendException.badGateway("the buyer gateway ended the call without a completion", null));
    } else {
      result.complete(completion);
    }
  }
}
