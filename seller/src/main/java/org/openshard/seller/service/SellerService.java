package org.openshard.seller.service;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.seller.load.LoadTracker;
import org.openshard.seller.pipeline.InferencePipeline;
import org.openshard.seller.pipeline.RequestObserver;

/**
 * The {@code openshard.v1.Seller} gRPC service: {@code GetInfo} and the {@code Infer} stream
 * (docs/protocol.md section 8). Concurrency is limited by the {@link LoadTracker}; over the limit a
 * stream ends with RESOURCE_EXHAUSTED (OVERLOADED). While draining, new streams end with
 * UNAVAILABLE (SHUTTING_DOWN) and running ones finish.
 */
public final class SellerService extends SellerGrpc.SellerImplBase {
  private final Supplier<SellerInfo> info;
  private final InferencePipeline pipeline;
  private final Executor executor;
  private final LoadTracker load;
  private final RequestObserver observer;
  private final Clock clock;
  private final Set<InferCall> active = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  /**
   * @param info what GetInfo answers (called per request, so rotated keys show at once)
   * @param executor runs the pipeline's admission steps (proof verification, store, decryption)
   * @param observer records calls rejected before the pipeline (overload, shutdown, bad frames)
   */
  public SellerService(
      Supplier<SellerInfo> info,
      InferencePipeline pipeline,
      Executor executor,
      LoadTracker load,
      RequestObserver observer,
      Clock clock) {
    this.info = Objects.requireNonNull(info, "info");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.load = Objects.requireNonNull(load, "load");
    this.observer = Objects.requireNonNull(observer, "observer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void getInfo(GetInfoRequest request, StreamObserver<SellerInfo> responseObserver) {
    responseObserver.onNext(info.get());
    responseObserver.onCompleted();
  }

  @Override
  public StreamObserver<BuyerFrame> infer(StreamObserver<SellerEvent> responseObserver) {
    return new InferCall(this, (ServerCallStreamObserver<SellerEvent>) responseObserver, clock);
  }

  /** Refuse new streams from now on (running ones continue). */
  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }

  /** Streams currently running the pipeline. */
  public int inFlight() {
    return load.inFlight();
  }

  /**
   * Waits until no stream is in flight or {@code timeout} passes; then cancels what is left with
   * SHUTTING_DOWN. Returns true if everything finished by itself.
   */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (load.inFlight() > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    boolean clean = load.inFlight() == 0;
    for (InferCall c : active) {
      c.cancelRun(ErrorCode.SHUTTING_DOWN, "the seller is shutting down");
    }
    return clean;
  }

  InferencePipeline pipeline() {
    return pipeline;
  }

  Executor executor() {
    return executor;
  }

  LoadTracker load() {
    return load;
  }

  void register(InferCall c) {
    active.add(c);
  }

  void unregister(InferCall c) {
    active.remove(c);
  }

  void recordRejection(ErrorCode code) {
    try {
      observer.finished(InferCall.rejectionRecord(clock.instant(), code));
    } catch (RuntimeException e) {
      // Observers must not break the call.
    }
  }
}
