package org.openshard.registry;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.proto.v1.RegistryGrpc;

/** Test helpers for the streaming RPCs. */
public final class Streams {
  private Streams() {}

  /** Collects Watch events and the end of the stream. */
  public static final class Events implements StreamObserver<PeerEvent> {
    public final BlockingQueue<PeerEvent> events = new LinkedBlockingQueue<>();
    public final CompletableFuture<Throwable> end = new CompletableFuture<>();

    @Override
    public void onNext(PeerEvent value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(t);
    }

    @Override
    public void onCompleted() {
      end.complete(null);
    }

    public PeerEvent next() throws InterruptedException {
      PeerEvent e = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(e, "expected a watch event");
      return e;
    }

    /** Skips events until one of this kind for this peer arrives. */
    public PeerEvent next(PeerEvent.Kind kind, String peerId) throws InterruptedException {
      while (true) {
        PeerEvent e = next();
        if (e.getKind() == kind && (peerId == null || e.getPeerId().equals(peerId))) {
          return e;
        }
      }
    }

    public PeerEvent poll(long ms) throws InterruptedException {
      return events.poll(ms, TimeUnit.MILLISECONDS);
    }
  }

  /** A Heartbeat stream driven by the test. */
  public static final class Heartbeats implements StreamObserver<HeartbeatAck>, AutoCloseable {
    public final BlockingQueue<HeartbeatAck> acks = new LinkedBlockingQueue<>();
    public final CompletableFuture<Throwable> end = new CompletableFuture<>();
    private final StreamObserver<HeartbeatPing> pings;

    public Heartbeats(Channel channel) {
      this.pings = RegistryGrpc.newStub(channel).heartbeat(this);
    }

    @Override
    public void onNext(HeartbeatAck value) {
      acks.add(value);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(t);
    }

    @Override
    public void onCompleted() {
      end.complete(null);
    }

    /** Sends a ping and waits for its ack (or throws the stream's error). */
    public HeartbeatAck ping(HeartbeatPing ping) throws Exception {
      pings.onNext(ping);
      while (true) {
        HeartbeatAck a = acks.poll(20, TimeUnit.MILLISECONDS);
        if (a != null) {
          return a;
        }
        if (end.isDone()) {
          Throwable t = end.get();
          if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
          }
          throw new IllegalStateException("heartbeat stream ended", t);
        }
      }
    }

    public void send(HeartbeatPing ping) {
      pings.onNext(ping);
    }

    /** Drops the stream abruptly (as a crashed seller would). */
    public void cancel() {
      pings.onError(new RuntimeException("seller went away"));
    }

    @Override
    public void close() {
      try {
        pings.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
  }
}
