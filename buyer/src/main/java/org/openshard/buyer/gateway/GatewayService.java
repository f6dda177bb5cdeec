package org.openshard.buyer.gateway;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.ChatHandle;
import org.openshard.buyer.ChatListener;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.dispatch.BuyerEngine;
import org.openshard.buyer.index.ModelCatalog;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.RequestSummary;

/** The Gateway service applications call: private chat completions and the model list. */
public final class GatewayService extends GatewayGrpc.GatewayImplBase {
  private final BuyerEngine engine;
  private final ModelCatalog catalog;

  public GatewayService(BuyerEngine engine, ModelCatalog catalog) {
    this.engine = Objects.requireNonNull(engine);
    this.catalog = Objects.requireNonNull(catalog);
  }

  @Override
  public void chatCompletion(ChatCompletionRequest request, StreamObserver<ChatCompletionEvent> observer) {
    ServerCallStreamObserver<ChatCompletionEvent> out = (ServerCallStreamObserver<ChatCompletionEvent>) observer;
    Relay relay = new Relay(out);
    out.setOnCancelHandler(relay::clientCancelled);
    ChatHandle handle =
        engine.execute(request.getOpenaiRequestJson(), request.getRouting(), PeerPin.current(), Context.current().getDeadline(), relay);
    relay.attach(handle);
  }

  @Override
  public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> observer) {
    observer.onNext(catalog.list());
    observer.onCompleted();
  }

  /** Forwards engine events to the gateway stream; a client cancel goes back to the engine. */
  private static final class Relay implements ChatListener {
    private final ServerCallStreamObserver<ChatCompletionEvent> out;
    private ChatHandle handle;
    private boolean cancelled;
    private boolean closed;

    Relay(ServerCallStreamObserver<ChatCompletionEvent> out) {
      this.out = out;
    }

    void attach(ChatHandle h) {
      boolean cancelNow;
      synchronized (this) {
        handle = h;
        cancelNow = cancelled;
      }
      if (cancelNow) {
        h.cancel();
      }
    }

    void clientCancelled() {
      ChatHandle h;
      synchronized (this) {
        cancelled = true;
        h = handle;
      }
      if (h != null) {
        h.cancel();
      }
    }

    @Override
    public synchronized void onChunk(ChatChunk chunk) {
      if (!cancelled && !closed) {
        out.onNext(ChatCompletionEvent.newBuilder().setChunk(chunk).build());
      }
    }

    @Override
    public synchronized void onCompletion(ChatCompletion completion) {
      if (!cancelled && !closed) {
        out.onNext(ChatCompletionEvent.newBuilder().setCompletion(completion).build());
      }
    }

    @Override
    public synchronized void onSummary(RequestSummary summary) {
      if (!cancelled && !closed) {
        closed = true;
        out.onNext(ChatCompletionEvent.newBuilder().setSummary(summary).build());
        out.onCompleted();
      }
    }

    @Override
    public synchronized void onError(BuyerException error) {
      if (!cancelled && !closed) {
        closed = true;
        out.onError(ErrorStatuses.toStatus(error));
      }
    }
  }
}
