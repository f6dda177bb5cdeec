package org.openshard.registry.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.DeregisterResponse;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GetAnchorSetRequest;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.WatchRequest;
import org.openshard.registry.RegistryException;
import org.openshard.registry.anchors.AnchorRegistry;
import org.openshard.registry.metrics.RegistryMetrics;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.validation.Identifiers;
import org.openshard.registry.watch.WatchHub;

/** The gRPC face of {@link RegistryCore}: every refusal is a status carrying an ErrorDetail. */
public final class RegistryGrpcService extends RegistryGrpc.RegistryImplBase {
  private final RegistryCore core;
  private final WatchHub hub;
  private final RegistryMetrics metrics;
  private final AnchorRegistry anchors;

  public RegistryGrpcService(RegistryCore core, WatchHub hub, RegistryMetrics metrics, AnchorRegistry anchors) {
    this.core = core;
    this.hub = hub;
    this.metrics = metrics;
    this.anchors = anchors;
  }

  /** A unary handler body that may refuse the request. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws RegistryException;
  }

  private <T> void unary(String rpc, StreamObserver<T> out, Call<T> call) {
    T result;
    try {
      result = call.run();
    } catch (RegistryException e) {
      metrics.rejected(e.errorCode());
      out.onError(e.toStatus());
      return;
    } catch (RuntimeException e) {
      metrics.rejected(ErrorCode.INTERNAL);
      out.onError(Statuses.internal(rpc, e));
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<RegisterResponse> out) {
    unary("Register", out, () -> core.register(request));
  }

  @Override
  public StreamObserver<HeartbeatPing> heartbeat(StreamObserver<HeartbeatAck> out) {
    return HeartbeatStream.open(core, metrics, out);
  }

  @Override
  public void discover(DiscoverRequest request, StreamObserver<DiscoverResponse> out) {
    unary("Discover", out, () -> core.discover(request));
  }

  @Override
  public void deregister(DeregisterRequest request, StreamObserver<DeregisterResponse> out) {
    unary("Deregister", out, () -> core.deregister(request));
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<PeerEvent> responses) {
    String filter = request.getServiceId();
    if (!filter.isEmpty() && !Identifiers.isServiceId(filter)) {
      metrics.rejected(ErrorCode.INVALID_ARGUMENT);
      responses.onError(
          RegistryException.invalid("service_id", "service_id must be empty (all) or 1..128 characters of [A-Za-z0-9._:/-]")
              .toStatus());
      return;
    }
    if (!core.store().eventsConnected()) {
      metrics.rejected(ErrorCode.STORE_UNAVAILABLE);
      responses.onError(RegistryException.storeUnavailable("registry event feed is not connected").toStatus());
      return;
    }
    WatchHub.Registration reg = hub.register((ServerCallStreamObserver<PeerEvent>) responses, filter);
    List<LivePeer> snapshot = null;
    if (request.getSendSnapshot()) {
      try {
        snapshot = core.snapshot(filter);
      } catch (RegistryException e) {
        metrics.rejected(e.errorCode());
        reg.fail(e.toStatus());
        return;
      }
    }
    reg.start(snapshot);
  }

  @Override
  public void enrollAnchor(EnrollAnchorRequest request, StreamObserver<EnrollAnchorResponse> out) {
    unary("EnrollAnchor", out, () -> anchors.enroll(request, core.config().nowMs()));
  }

  @Override
  public void getAnchorSet(GetAnchorSetRequest request, StreamObserver<AnchorSet> out) {
    unary("GetAnchorSet", out, () -> anchors.get(request.getEpoch()));
  }
}
