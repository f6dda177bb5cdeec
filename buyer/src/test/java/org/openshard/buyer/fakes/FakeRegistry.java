package org.openshard.buyer.fakes;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.WatchRequest;

/** An in-process registry serving Discover and Watch from a map the test edits. */
public final class FakeRegistry extends RegistryGrpc.RegistryImplBase implements AutoCloseable {
  public final String name;
  public final Map<String, PeerListing> live = new ConcurrentHashMap<>();
  public final List<ServerCallStreamObserver<PeerEvent>> watchers = new CopyOnWriteArrayList<>();
  public final AtomicInteger watchCalls = new AtomicInteger();
  public final AtomicInteger discoverCalls = new AtomicInteger();
  /** If false, Watch snapshots omit the peers (only Discover returns them). */
  public volatile boolean watchShowsPeers = true;
  private Server server;

  public FakeRegistry(String name) {
    this.name = name;
  }

  public FakeRegistry start() throws IOException {
    server = InProcessServerBuilder.forName(name).addService(this).build().start();
    return this;
  }

  public void put(String peerId, PeerListing l) {
    boolean existed = live.put(peerId, l) != null;
    broadcast(PeerEvent.newBuilder().setKind(existed ? PeerEvent.Kind.UPDATED : PeerEvent.Kind.ADDED).setPeerId(peerId).setPeer(l).build());
  }

  public void remove(String peerId) {
    live.remove(peerId);
    broadcast(PeerEvent.newBuilder().setKind(PeerEvent.Kind.REMOVED).setPeerId(peerId).setReason("expired").build());
  }

  /** Breaks every open Watch stream. */
  public void breakWatchers() {
    for (ServerCallStreamObserver<PeerEvent> w : watchers) {
      w.onError(Status.UNAVAILABLE.withDescription("registry restarting").asRuntimeException());
    }
    watchers.clear();
  }

  private void broadcast(PeerEvent ev) {
    for (ServerCallStreamObserver<PeerEvent> w : watchers) {
      synchronized (w) {
        w.onNext(ev);
      }
    }
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<PeerEvent> observer) {
    watchCalls.incrementAndGet();
    ServerCallStreamObserver<PeerEvent> out = (ServerCallStreamObserver<PeerEvent>) observer;
    out.setOnCancelHandler(() -> watchers.remove(out));
    synchronized (out) {
      if (request.getSendSnapshot() && watchShowsPeers) {
        live.forEach((id, l) -> out.onNext(PeerEvent.newBuilder().setKind(PeerEvent.Kind.ADDED).setPeerId(id).setPeer(l).build()));
      }
      out.onNext(PeerEvent.newBuilder().setKind(PeerEvent.Kind.SNAPSHOT_DONE).build());
      watchers.add(out);
    }
  }

  @Override
  public void discover(DiscoverRequest request, StreamObserver<DiscoverResponse> out) {
    discoverCalls.incrementAndGet();
    DiscoverResponse.Builder r = DiscoverResponse.newBuilder();
    for (PeerListing l : live.values()) {
      boolean serves = l.getRegistration().getOfferingsList().stream().anyMatch(o -> o.getServiceIdsList().contains(request.getServiceId()));
      if (serves) {
        r.addPeers(l);
      }
    }
    out.onNext(r.setTotalMatches(r.getPeersCount()).build());
    out.onCompleted();
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
    }
  }
}
