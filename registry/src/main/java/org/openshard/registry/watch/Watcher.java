package org.openshard.registry.watch;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Function;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PeerEvent;
import org.openshard.registry.store.LivePeer;
import org.openshard.runtime.ErrorCodes;
import org.openshard.runtime.Errors;

/**
 * One Watch stream. Sends only while the transport is ready (gRPC flow control): first the optional
 * snapshot (drawn lazily from a list, one ADDED per peer, then SNAPSHOT_DONE), then live events from
 * a bounded queue. Live events that arrive while the snapshot is still being sent wait in the queue.
 * A consumer too slow to keep the queue under its capacity is dropped with RESOURCE_EXHAUSTED.
 */
final class Watcher {
  private final ServerCallStreamObserver<PeerEvent> out;
  private final String serviceFilter;
  private final int capacity;
  private final Runnable onClose;
  private final ArrayDeque<PeerEvent> queue = new ArrayDeque<>();
  private Iterator<LivePeer> snapshot;
  private Function<LivePeer, PeerEvent> snapshotEvent;
  private boolean started;
  private boolean closed;

  Watcher(ServerCallStreamObserver<PeerEvent> out, String serviceFilter, int capacity, Runnable onClose) {
    this.out = out;
    this.serviceFilter = serviceFilter;
    this.capacity = capacity;
    this.onClose = onClose;
  }

  String serviceFilter() {
    return serviceFilter;
  }

  /** Begins sending: the snapshot first if given (may be null), then queued live events. */
  synchronized void start(Iterator<LivePeer> snapshot, Function<LivePeer, PeerEvent> toEvent) {
    this.snapshot = snapshot;
    this.snapshotEvent = toEvent;
    this.started = true;
    drain();
  }

  /** Queues a live event; drops the watcher if its queue is full. */
  synchronized void offer(PeerEvent event) {
    if (closed) {
      return;
    }
    if (queue.size() >= capacity) {
      fail(
          Errors.status(
              ErrorCodes.CAPACITY_STATUS, // the registry's per-watcher queue, not the request (ERR-3b)
              ErrorCode.LIMIT_EXCEEDED,
              "watch consumer too slow: more than " + capacity + " events pending; reconnect with send_snapshot",
              null,
              true));
      return;
    }
    queue.add(event);
    drain();
  }

  /** Sends what the transport accepts now. Called on offers and from the onReady handler. */
  synchronized void drain() {
    if (!started || closed) {
      return;
    }
    try {
      while (!closed && out.isReady()) {
        if (snapshot != null) {
          if (snapshot.hasNext()) {
            out.onNext(snapshotEvent.apply(snapshot.next()));
          } else {
            snapshot = null;
            out.onNext(PeerEvent.newBuilder().setKind(PeerEvent.Kind.SNAPSHOT_DONE).build());
          }
          continue;
        }
        PeerEvent e = queue.poll();
        if (e == null) {
          return;
        }
        out.onNext(e);
      }
    } catch (RuntimeException e) {
      // The call was cancelled under us; treat as closed.
      markClosed();
    }
  }

  /** Ends the stream with an error (no-op if already closed). */
  synchronized void fail(StatusRuntimeException status) {
    if (closed) {
      return;
    }
    markClosed();
    queue.clear();
    try {
      out.onError(status);
    } catch (RuntimeException ignored) {
      // already cancelled
    }
  }

  /** The client cancelled. */
  synchronized void cancelled() {
    markClosed();
    queue.clear();
  }

  private void markClosed() {
    if (!closed) {
      closed = true;
      snapshot = null;
      onClose.run();
    }
  }

  synchronized int pending() {
    return queue.size();
  }
}
