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
 * flow control is manual: the next ping is read only once the ack could be written, so a client
 * that does not read acks cannot make the registry buffer them.
 */
final class HeartbeatStream implements StreamObserver<HeartbeatPing> {
  private final RegistryCore core;
  private final RegistryMetrics metrics;
  private final ServerCallStreamObserver<HeartbeatAck> out;
  private boolean done;
  private boolean awaitingReady = true;

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
    return s;
  }

  private void onReady() {
    if (awaitingReady && !done && out.isReady()) {
      awaitingReady = false;
      out.request(1);
    }
  }

  @Override
  public void onNext(HeartbeatPing ping) {
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
      out.request(1);
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
