package org.openshard.registry.client;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.runtime.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one seller registered and alive (see {@link RegistryClient#startHeartbeats}). All state is
 * touched only on the session's own scheduler thread.
 */
public final class HeartbeatSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSession.class);

  private final Channel channel;
  private final Supplier<RegisterRequest> registrations;
  private final Supplier<LoadReport> load;
  private final ScheduledExecutorService exec;
  private final AtomicInteger registrationCount = new AtomicInteger();
  private volatile RegisterResponse current;
  private volatile HeartbeatAck lastAck;
  private volatile boolean closed;
  private ScheduledFuture<?> ticker;
  private ClientCallStreamObserver<HeartbeatPing> stream;
  private boolean needsRegister;
  private long sequence;
  private long intervalMs;

  HeartbeatSession(Channel channel, Supplier<RegisterRequest> registrations, Supplier<LoadReport> load) {
    this.channel = channel;
    this.registrations = registrations;
    this.load = load;
    this.exec =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "registry-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** Registers synchronously (throws the registry's refusal) and starts pinging. */
  void start() {
    try {
      exec.submit(this::registerNow).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering", e);
    } catch (java.util.concurrent.ExecutionException e) {
      close();
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    }
    exec.execute(this::reschedule);
  }

  private Void registerNow() {
    RegisterResponse r =
        RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).register(registrations.get());
    current = r;
    registrationCount.incrementAndGet();
    needsRegister = false;
    closeStream();
    return null;
  }

  private void reschedule() {
    long interval = Math.max(10, current.getHeartbeatIntervalMs());
    if (ticker != null && interval == intervalMs) {
      return;
    }
    if (ticker != null) {
      ticker.cancel(false);
    }
    intervalMs = interval;
    ticker = exec.scheduleAtFixedRate(this::tick, 0, interval, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (closed) {
      return;
    }
    try {
      if (needsRegister) {
        registerNow();
        reschedule();
      }
      if (stream == null) {
        openStream();
      }
      RegisterResponse r = current;
      stream.onNext(
          HeartbeatPing.newBuilder()
              .setPeerId(r.getPeerId())
              .setHeartbeatToken(r.getHeartbeatToken())
              .setSequence(++sequence)
              .setLoad(load.get())
              .build());
    } catch (StatusRuntimeException e) {
      LOG.warn("registry heartbeat: {}", e.getStatus());
      closeStream();
    } catch (RuntimeException e) {
      LOG.warn("registry heartbeat failed", e);
      closeStream();
    }
  }

  private void openStream() {
    ClientCallStreamObserver<?>[] holder = new ClientCallStreamObserver<?>[1];
    RegistryGrpc.newStub(channel)
        .heartbeat(
            new ClientResponseObserver<HeartbeatPing, HeartbeatAck>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<HeartbeatPing> requestStream) {
                holder[0] = requestStream;
              }

              @Override
              public void onNext(HeartbeatAck ack) {
                lastAck = ack;
              }

              @Override
              public void onError(Throwable t) {
                post(() -> onStreamError(holder[0], t));
              }

              @Override
              public void onCompleted() {
                post(() -> onStreamError(holder[0], null));
              }
            });
    @SuppressWarnings("unchecked")
    ClientCallStreamObserver<HeartbeatPing> s = (ClientCallStreamObserver<HeartbeatPing>) holder[0];
    stream = s;
  }

  private void onStreamError(ClientCallStreamObserver<?> which, Throwable t) {
    if (which != stream) {
      return; // an old stream
    }
    stream = null;
    if (t == null || closed) {
      return;
    }
    ErrorCode code = Errors.code(t);
    Status.Code status = Status.fromThrowable(t).getCode();
    if (code == ErrorCode.UNKNOWN_PEER || code == ErrorCode.BAD_HEARTBEAT_TOKEN) {
      needsRegister = true;
      post(this::tick); // re-register at once rather than at the next tick
    } else if (status != Status.Code.CANCELLED) {
      LOG.warn("registry heartbeat stream ended: {}", Status.fromThrowable(t));
    }
  }

  private void post(Runnable r) {
    try {
      exec.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void closeStream() {
    ClientCallStreamObserver<HeartbeatPing> s = stream;
    stream = null;
    if (s != null) {
      try {
        s.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
  }

  /** The current registration (peer id, token, interval). */
  public RegisterResponse registration() {
    return current;
  }

  public String peerId() {
    return current.getPeerId();
  }

  /** The last ack received, if any. */
  public Optional<HeartbeatAck> lastAck() {
    return Optional.ofNullable(lastAck);
  }

  /** How many registrations this session has made (1 after start; more after re-registrations). */
  public int registrations() {
    return registrationCount.get();
  }

  /** Stops pinging (the peer stays listed until its deadline passes; deregister to leave at once). */
  @Override
  public void close() {
    closed = true;
    try {
      exec.submit(
              () -> {
                if (ticker != null) {
                  ticker.cancel(false);
                }
                closeStream();
              })
          .get(2, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // shutting down anyway
    }
    exec.shutdownNow();
  }
}
