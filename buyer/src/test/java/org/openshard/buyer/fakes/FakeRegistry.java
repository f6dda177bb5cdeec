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
  /** Enrolled anchors (verified Schnorr proofs); published as a new anchor set on each GetAnchorSet. */
  public final java.util.Set<org.openshard.credentials.Anchor> anchors = ConcurrentHashMap.newKeySet();
  public final AtomicInteger enrollCalls = new AtomicInteger();
  /** Extra anchors (other buyers) in every published set. */
  public final java.util.List<org.openshard.credentials.Anchor> others = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong anchorEpoch = new java.util.concurrent.atomic.AtomicLong();
  public volatile boolean enrollUnavailable;

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
      synchronized (w) {
        w.onError(Status.UNAVAILABLE.withDescription("registry restarting").asRuntimeException());
      }
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
      // Registered before SNAPSHOT_DONE goes out: a test that saw the snapshot can break this stream.
      watchers.add(out);
      if (request.getSendSnapshot() && watchShowsPeers) {
        live.forEach((id, l) -> out.onNext(PeerEvent.newBuilder().setKind(PeerEvent.Kind.ADDED).setPeerId(id).setPeer(l).build()));
      }
      out.onNext(PeerEvent.newBuilder().setKind(PeerEvent.Kind.SNAPSHOT_DONE).build());
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
  public void enrollAnchor(
      org.openshard.proto.v1.EnrollAnchorRequest request, StreamObserver<org.openshard.proto.v1.EnrollAnchorResponse> out) {
    enrollCalls.incrementAndGet();
    if (enrollUnavailable) {
      out.onError(Status.UNAVAILABLE.withDescription("down").asRuntimeException());
      return;
    }
    try {
      org.openshard.credentials.Anchor a =
          org.openshard.credentials.anchors.AnchorEnrollments.verify(request, System.currentTimeMillis(), 60_000);
      boolean added = anchors.add(a);
      out.onNext(
          org.openshard.proto.v1.EnrollAnchorResponse.newBuilder().setEffectiveEpoch(anchorEpoch.get() + 1).setNewlyEnrolled(added).build());
      out.onCompleted();
    } catch (org.openshard.credentials.CredentialException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void getAnchorSet(
      org.openshard.proto.v1.GetAnchorSetRequest request, StreamObserver<org.openshard.proto.v1.AnchorSet> out) {
    try {
      java.util.List<org.openshard.credentials.Anchor> all = new java.util.ArrayList<>(anchors);
      all.addAll(others);
      if (all.isEmpty()) {
        out.onError(Status.NOT_FOUND.withDescription("no anchor set yet").asRuntimeException());
        return;
      }
      out.onNext(
          org.openshard.credentials.anchors.AnchorSet.of(anchorEpoch.incrementAndGet(), all, System.currentTimeMillis()).toProto());
      out.onCompleted();
    } catch (org.openshard.credentials.CredentialException e) {
      out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
    }
  }
}
