package org.openshard.registry.client;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.DeregisterResponse;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.WatchRequest;

/**
 * A small client of the Registry service for sellers and buyers. Unary calls throw {@link
 * io.grpc.StatusRuntimeException}; read the typed error with {@code org.openshard.runtime.Errors.detail}.
 */
public final class RegistryClient implements AutoCloseable {
  private static final long CALL_TIMEOUT_MS = 10_000;

  private final Channel channel;
  private final ManagedChannel owned;

  /** Uses a channel the caller owns. */
  public RegistryClient(Channel channel) {
    this.channel = channel;
    this.owned = null;
  }

  private RegistryClient(ManagedChannel owned) {
    this.channel = owned;
    this.owned = owned;
  }

  /** Opens a plaintext channel to {@code host:port} that {@link #close()} shuts down. */
  public static RegistryClient connect(String target) {
    return new RegistryClient(NettyChannelBuilder.forTarget(target).usePlaintext().build());
  }

  public Channel channel() {
    return channel;
  }

  private RegistryGrpc.RegistryBlockingStub blocking() {
    return RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  public RegisterResponse register(RegisterRequest request) {
    return blocking().register(request);
  }

  /** Enrols a buyer credential anchor (see {@code AnchorEnrollments.create}). */
  public org.openshard.proto.v1.EnrollAnchorResponse enrollAnchor(org.openshard.proto.v1.EnrollAnchorRequest request) {
    return blocking().enrollAnchor(request);
  }

  /** The published anchor set of {@code epoch} (0 = latest). */
  public org.openshard.proto.v1.AnchorSet anchorSet(long epoch) {
    return blocking().getAnchorSet(org.openshard.proto.v1.GetAnchorSetRequest.newBuilder().setEpoch(epoch).build());
  }

  public DiscoverResponse discover(DiscoverRequest request) {
    return blocking().discover(request);
  }

  /** Follows page tokens until the last page (at most {@code maxPages} calls). */
  public List<PeerListing> discoverAll(DiscoverRequest request, int maxPages) {
    List<PeerListing> out = new ArrayList<>();
    DiscoverRequest r = request;
    for (int i = 0; i < maxPages; i++) {
      DiscoverResponse page = discover(r);
      out.addAll(page.getPeersList());
      if (page.getNextPageToken().isEmpty()) {
        break;
      }
      r = r.toBuilder().setPageToken(page.getNextPageToken()).build();
    }
    return out;
  }

  public DeregisterResponse deregister(DeregisterRequest request) {
    return blocking().deregister(request);
  }

  /** A running Watch; {@link #close()} cancels it. */
  public static final class Watch implements AutoCloseable {
    private volatile ClientCallStreamObserver<WatchRequest> call;

    @Override
    public void close() {
      ClientCallStreamObserver<WatchRequest> c = call;
      if (c != null) {
        c.cancel("watch closed by client", null);
      }
    }
  }

  /** Starts a Watch; events and the final status go to {@code events}. */
  public Watch watch(WatchRequest request, StreamObserver<PeerEvent> events) {
    Watch w = new Watch();
    RegistryGrpc.newStub(channel)
        .watch(
            request,
            new ClientResponseObserver<WatchRequest, PeerEvent>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
                w.call = requestStream;
              }

              @Override
              public void onNext(PeerEvent value) {
                events.onNext(value);
              }

              @Override
              public void onError(Throwable t) {
                events.onError(t);
              }

              @Override
              public void onCompleted() {
                events.onCompleted();
              }
            });
    return w;
  }

  /**
   * Registers now (throwing if the registry refuses) and keeps the peer alive: pings every interval
   * with a fresh load report, reopens the stream if it drops, and re-registers with a freshly signed
   * registration if the registry says the peer is unknown or the token is stale.
   *
   * @param registrations returns a newly signed registration each call (timestamps must increase)
   * @param load the current load, read at each ping
   */
  public HeartbeatSession startHeartbeats(Supplier<RegisterRequest> registrations, Supplier<LoadReport> load) {
    HeartbeatSession s = new HeartbeatSession(channel, registrations, load);
    s.start();
    return s;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdownNow();
      try {
        owned.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
