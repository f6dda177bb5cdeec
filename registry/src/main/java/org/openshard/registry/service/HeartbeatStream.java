package org.openshard.registry.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.registry.RegistryException;
import org.openshard.registry.metrics.RegistryMetrics;

/**
 * One Heartbeat stream. Each ping is checked on its own (peer id + token), so one stream may carry
 * pings for several peers. The first refused ping ends the stream with its typed status. Inbound
 * flow control is manual and credit based: at most {@link #WINDOW} pings are requested ahead, and
 * credit is topped up only while acks can be written, so a client that does not read its acks
 * cannot make the registry buffer more than a window of them.
 */
final class HeartbeatStream implements StreamObserver<HeartbeatPing> {
  static final int WINDOW = 32;

  private final RegistryCore core;
  private final RegistryMetrics metrics;
  private final ServerCallStreamObserver<HeartbeatAck> out;
  private boolean done;
  private boolean awaitingReady;
  private int credit;

  private HeartbeatStream(RegistryCore core, RegistryMetrics metrics, ServerCallStreamObserver<HeartbeatAck> out) {
    this.core = core;
    this.metrics = metrics;
    this.out = out;
  }

  static HeartbeatStream open(RegistryCore core, RegistryMetrics metrics, StreamObserver<HeartbeatAck> responses) {
    ServerCallStreamObserver<HeartbeatAck> out = (ServerCallStreamObserver<HeartbeatAck>) responses;
    out.disableAutoRequest();
    HeartbeatStream s = new HeartbeatStream(core, metrics, out);
    out.setOnReadyHandler(s::onReady);
    s.topUp(); // the first window of credit, without waiting for an onReady callback
    return s;
  }

  private void onReady() {
    if (awaitingReady && !done && out.isReady()) {
      awaitingReady = false;
      topUp();
    }
  }

  private void topUp() {
    if (credit <= WINDOW / 2) {
      out.request(WINDOW - credit);
      credit = WINDOW;
    }
  }

  @Override
  public void onNext(HeartbeatPing ping) {
    credit--;
    if (done) {
      return;
    }
    HeartbeatAck ack;
    try {
      ack = core.heartbeat(ping);
    } catch (RegistryException e) {
      done = true;
      metrics.rejected(e.errorCode());
      out.onError(e.toStatus());
      return;
    } catch (RuntimeException e) {
      done = true;
      out.onError(Statuses.internal("heartbeat", e));
      return;
    }
    out.onNext(ack);
    if (out.isReady()) {
      topUp();
    } else {
      awaitingReady = true;
    }
  }

  @Override
  public void onError(Throwable t) {
    // The client went away. Its peers stay registered until their deadlines pass.
    done = true;
  }

  @Override
  public void onCompleted() {
    if (!done) {
      done = true;
      out.onCompleted();
    }
  }
}
