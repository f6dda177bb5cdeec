package org.openshard.bridge.backend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.RoutingOptions;
import org.openshard.runtime.ListenAddress;
import org.reactivestreams.Publisher;

/**
 * Sends the bridge's requests to a buyer's {@code openshard.v1.Gateway} over gRPC: the market of
 * sellers behind one OpenAI-compatible endpoint.
 *
 * <ul>
 *   <li>The request object becomes {@code openai_request_json} unchanged (unknown members and
 *       number spellings included); those exact UTF-8 bytes are reported as forwarded (target
 *       {@code "gateway"}, replaced by the serving seller's peer id once the summary names it).
 *   <li>{@code X-OpenShard-Peer} becomes the call metadata {@code x-openshard-peer} and {@code
 *       routing.peer_id}; it must be a peer id ({@code 0x} + 40 hex), else 400.
 *   <li>Streaming: one chunk object per {@code chunk} event, with backpressure; non-streaming: the
 *       {@code completion} object. The {@code summary} is reported through {@link
 *       RequestContext#served} before the response completes.
 *   <li>Errors: gRPC statuses with an {@code ErrorDetail} map by {@link GatewayErrors}.
 *   <li>Cancelling a returned future or publisher (the client went away) cancels the gRPC call.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} shuts the channel down only if this backend created it ({@link
 * #connect}).
 */
public final class GatewayBackend implements ChatBackend {
  /** Call metadata that pins a seller. */
  public static final Metadata.Key<String> PEER_METADATA =
      Metadata.Key.of("x-openshard-peer", Metadata.ASCII_STRING_MARSHALLER);
  /** The target name forwarded requests are reported under until a seller is known. */
  public static final String TARGET = "gateway";

  private static final Pattern PEER_ID = Pattern.compile("0x[0-9a-fA-F]{40}");

  private final Channel channel;
  private final ManagedChannel owned;
  private final String description;
  private final Duration responseTimeout;
  private final Duration streamTimeout;
  private final Duration modelsTimeout;

  private GatewayBackend(Builder b) {
    this.channel = b.channel;
    this.owned = b.owned;
    this.description = b.description;
    this.responseTimeout = b.responseTimeout;
    this.streamTimeout = b.streamTimeout;
    this.modelsTimeout = b.modelsTimeout;
  }

  /** A backend on a channel the caller owns (e.g. an in-process channel to a buyer in this JVM). */
  public static Builder builder(Channel channel) {
    return new Builder(Objects.requireNonNull(channel), null, "channel " + channel.authority());
  }

  /**
   * A backend on a new plaintext channel to {@code HOST:PORT} (a buyer's gateway, normally on the
   * same host), closed with the backend.
   *
   * @throws IllegalArgumentException if {@code hostPort} is not {@code HOST:PORT}
   */
  public static Builder connect(String hostPort) {
    ListenAddress a;
    try {
      a = ListenAddress.parse(hostPort);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad buyer gateway address '" + hostPort + "'; expected HOST:PORT, e.g. 127.0.0.1:7000");
    }
    if (a.port() == 0) {
      throw new IllegalArgumentException("bad buyer gateway address '" + hostPort + "'; the port must not be 0");
    }
    ManagedChannel ch =
        NettyChannelBuilder.forAddress(a.host(), a.port())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    return new Builder(ch, ch, ListenAddress.format(a.host(), a.port()));
  }

  @Override
  public CompletableFuture<ObjectNode> chatCompletion(ObjectNode request, RequestContext ctx) {
    return send(request, ctx, responseTimeout, GatewayCompletionCall::new, GatewayCompletionCall::result);
  }

  @Override
  public CompletableFuture<Publisher<ObjectNode>> streamChatCompletion(ObjectNode request, RequestContext ctx) {
    return send(request, ctx, streamTimeout, GatewayStreamCall::new, GatewayStreamCall::result);
  }

  /**
   * Validates the pin and the request, then starts one {@code Chat} call observed by a new {@code
   * call}; a bad pin fails the result without a call.
   */
  private <C extends ClientResponseObserver<ChatCompletionRequest, ChatCompletionEvent>, T> CompletableFuture<T> send(
      ObjectNode request,
      RequestContext ctx,
      Duration timeout,
      Function<RequestContext, C> newCall,
      Function<C, CompletableFuture<T>> result) {
    String pin;
    ChatCompletionRequest req;
    try {
      pin = pin(ctx);
      req = prepare(request, pin, ctx);
    } catch (BackendException e) {
      return CompletableFuture.failedFuture(e);
    }
    C call = newCall.apply(ctx);
    stub(pin, timeout).chatCompletion(req, call);
    return result.apply(call);
  }

  @Override
  public CompletableFuture<ObjectNode> models(RequestContext ctx) {
    CompletableFuture<ObjectNode> out = new CompletableFuture<>();
    GatewayGrpc.newStub(channel)
        .withDeadlineAfter(modelsTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .listModels(
            ListModelsRequest.getDefaultInstance(),
            new StreamObserver<ListModelsResponse>() {
              private ListModelsResponse response;

              @Override
              public void onNext(ListModelsResponse r) {
                response = r;
              }

              @Override
              public void onError(Throwable t) {
                out.completeExceptionally(GatewayErrors.map(t, false));
              }

              @Override
              public void onCompleted() {
                if (response == null) {
                  out.completeExceptionally(BackendException.badGateway("the buyer gateway sent no model list", null));
                } else {
                  out.complete(GatewayJson.models(response));
                }
              }
            });
    return out;
  }

  @Override
  public String serving() {
    return "aggregator";
  }

  /** Validates the pin, builds the gRPC request and reports the forwarded bytes. */
  private static ChatCompletionRequest prepare(ObjectNode request, String pin, RequestContext ctx) {
    String json = GatewayJson.requestText(request);
    ChatCompletionRequest.Builder b = ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json);
    if (pin != null) {
      b.setRouting(RoutingOptions.newBuilder().setPeerId(pin));
    }
    ctx.forwarded(json.getBytes(StandardCharsets.UTF_8), TARGET);
    return b.build();
  }

  /** The pinned peer id in lower case, or null. */
  private static String pin(RequestContext ctx) {
    if (ctx.peerPin().isEmpty()) {
      return null;
    }
    String p = ctx.peerPin().get();
    if (!PEER_ID.matcher(p).matches()) {
      throw new BackendException(
          400, "invalid_request_error", "X-OpenShard-Peer must be a peer id: 0x followed by 40 hex characters", null,
          "invalid_peer_id", null);
    }
    return p.toLowerCase(Locale.ROOT);
  }

  private GatewayGrpc.GatewayStub stub(String pin, Duration timeout) {
    GatewayGrpc.GatewayStub stub = GatewayGrpc.newStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (pin != null) {
      Metadata md = new Metadata();
      md.put(PEER_METADATA, pin);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    return stub;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      try {
        if (!owned.awaitTermination(2, TimeUnit.SECONDS)) {
          owned.shutdownNow();
        }
      } catch (InterruptedException e) {
        owned.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "GatewayBackend(" + description + ")";
  }

  /** Builder for {@link GatewayBackend}. */
  public static final class Builder {
    private final Channel channel;
    private final ManagedChannel owned;
    private final String description;
    private Duration responseTimeout = Duration.ofMinutes(5);
    private Duration streamTimeout = Duration.ofMinutes(30);
    private Duration modelsTimeout = Duration.ofSeconds(30);

    private Builder(Channel channel, ManagedChannel owned, String description) {
      this.channel = channel;
      this.owned = owned;
      this.description = description;
    }

    /** Deadline of a non-streaming call (default 5 minutes). */
    public Builder responseTimeout(Duration d) {
      this.responseTimeout = positive(d);
      return this;
    }

    /** Deadline of a streaming call, the whole stream included (default 30 minutes). */
    public Builder streamTimeout(Duration d) {
      this.streamTimeout = positive(d);
      return this;
    }

    /** Deadline of ListModels (default 30 seconds). */
    public Builder modelsTimeout(Duration d) {
      this.modelsTimeout = positive(d);
      return this;
    }

    public GatewayBackend build() {
      return new GatewayBackend(this);
    }

    private static Duration positive(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("timeout must be > 0");
      }
      return d;
    }
  }
}
