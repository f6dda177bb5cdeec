package org.openshard.seller.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.Usage;
import org.openshard.runtime.ErrorCodes;
import org.openshard.seller.pipeline.InferencePipeline;
import org.openshard.seller.pipeline.InferenceSink;
import org.openshard.seller.pipeline.PaymentConversation;
import org.openshard.seller.pipeline.RequestRecord;
import org.openshard.seller.pipeline.StageException;

/**
 * One {@code Seller.Infer} stream: reads buyer frames, runs the pipeline off the gRPC thread and
 * writes its events with flow control (chunks wait for {@code isReady}). Ends with exactly one
 * terminal event and status; releases its concurrency slot exactly once.
 *
 * <p>Locking: the pipeline calls the sink methods under its own lock; this class never calls into
 * the pipeline while holding its lock.
 */
final class InferCall implements StreamObserver<BuyerFrame>, InferenceSink, PaymentConversation {
  private static final Object CANCELLED_MARK = new Object();
  /** Payment frames one stream may send (a buyer answers at most a few PaymentRequired rounds). */
  static final int MAX_PAYMENT_FRAMES = 16;

  private final SellerService service;
  private final ServerCallStreamObserver<SellerEvent> out;
  private final Clock clock;
  private final Instant deadline;
  private final Deadline grpcDeadline;
  private final AtomicReference<Runnable> pendingResume = new AtomicReference<>();
  private final LinkedBlockingQueue<Object> payments = new LinkedBlockingQueue<>();
  private final List<PaymentAuthorization> received = new ArrayList<>();

  // Guarded by this.
  private boolean envelopeSeen;
  private boolean closed;
  private boolean transportGone;
  private boolean holdsSlot;
  private InferencePipeline.Run run;

  InferCall(SellerService service, ServerCallStreamObserver<SellerEvent> out, Clock clock) {
    this.service = service;
    this.out = out;
    this.clock = clock;
    this.grpcDeadline = Context.current().getDeadline();
    this.deadline =
        grpcDeadline == null ? null : clock.instant().plusNanos(grpcDeadline.timeRemaining(TimeUnit.NANOSECONDS));
    out.setOnReadyHandler(this::onReady);
    out.setOnCancelHandler(this::onTransportCancelled);
  }

  // ---- buyer frames ----

  @Override
  public void onNext(BuyerFrame frame) {
    switch (frame.getFrameCase()) {
      case ENVELOPE:
      case RESUME:
        onFirstFrame(frame);
        return;
      case PAYMENT:
        if (!firstFrameSeen()) {
          rejectEarly(ErrorCode.INVALID_ARGUMENT, "frame", "the first frame must be the envelope");
          return;
        }
        boolean tooMany;
        synchronized (this) {
          tooMany = received.size() >= MAX_PAYMENT_FRAMES;
          if (!tooMany) {
            received.add(frame.getPayment());
          }
        }
        if (tooMany) {
          cancelRun(ErrorCode.LIMIT_EXCEEDED, "more than " + MAX_PAYMENT_FRAMES + " payment frames on one stream");
          return;
        }
        payments.offer(frame.getPayment());
        return;
      case CANCEL:
        if (!firstFrameSeen()) {
          rejectEarly(ErrorCode.CANCELLED, "", "the buyer cancelled before sending the envelope");
          return;
        }
        cancelRun(ErrorCode.CANCELLED, "the buyer cancelled the request");
        return;
      default:
        rejectEarly(ErrorCode.INVALID_ARGUMENT, "frame", "the frame is empty or of an unknown kind");
    }
  }

  private synchronized boolean firstFrameSeen() {
    return envelopeSeen;
  }

  /** The envelope, or a resumed request: the frame that starts the request. */
  private void onFirstFrame(BuyerFrame frame) {
    InferencePipeline.Run r;
    synchronized (this) {
      if (envelopeSeen) {
        r = run;
      } else {
        envelopeSeen = true;
        r = null;
      }
    }
    if (r != null) {
      cancelRun(ErrorCode.INVALID_ARGUMENT, "the envelope (or resumed request) was sent twice");
      return;
    }
    if (service.draining()) {
      rejectEarly(ErrorCode.SHUTTING_DOWN, "", "the seller is shutting down; retry at another seller");
      return;
    }
    if (!service.load().tryEnter()) {
      rejectEarly(ErrorCode.OVERLOADED, "", "the seller is at its concurrency limit (" + service.load().capacity()
          + "); retry at another seller");
      return;
    }
    if (frame.hasPrepaid()) {
      synchronized (this) {
        received.add(frame.getPrepaid()); // seen by the payment stage before it asks for payment
      }
    }
    InferencePipeline.Run created =
        frame.hasResume()
            ? service.pipeline().newResumedRun(frame.getResume(), this, this, deadline)
            : service.pipeline().newRun(frame.getEnvelope(), this, this, deadline);
    boolean goneAlready;
    synchronized (this) {
      holdsSlot = true;
      run = created;
      goneAlready = closed;
    }
    service.register(this);
    if (goneAlready) {
      created.cancel(ErrorCode.CANCELLED, "the stream ended before the request started");
      return;
    }
    try {
      service.executor().execute(created::execute);
    } catch (RejectedExecutionException e) {
      created.cancel(ErrorCode.OVERLOADED, "the seller cannot take more work; retry at another seller");
    }
  }

  @Override
  public void onError(Throwable t) {
    // The buyer reset the stream or the transport failed.
    synchronized (this) {
      transportGone = true;
    }
    cancelRun(ErrorCode.CANCELLED, "the buyer went away");
    closeWithoutRun(ErrorCode.CANCELLED);
  }

  @Override
  public void onCompleted() {
    // Half-close is fine once the envelope arrived; before that the stream is useless.
    if (!firstFrameSeen()) {
      rejectEarly(ErrorCode.INVALID_ARGUMENT, "frame", "the stream ended before the envelope");
    }
  }

  private void onTransportCancelled() {
    synchronized (this) {
      transportGone = true;
    }
    payments.offer(CANCELLED_MARK);
    boolean expired = grpcDeadline != null && grpcDeadline.isExpired();
    if (expired) {
      cancelRun(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed");
      closeWithoutRun(ErrorCode.DEADLINE_EXCEEDED);
    } else {
      cancelRun(ErrorCode.CANCELLED, "the buyer cancelled the stream");
      closeWithoutRun(ErrorCode.CANCELLED);
    }
  }

  /** Cancels the pipeline run, if any (outside this object's lock). */
  void cancelRun(ErrorCode code, String message) {
    InferencePipeline.Run r;
    synchronized (this) {
      r = run;
    }
    payments.offer(CANCELLED_MARK);
    if (r != null) {
      r.cancel(code, message);
    }
  }

  /** Ends a call that never started a run; the service records it. */
  private void rejectEarly(ErrorCode code, String field, String message) {
    StageException e = StageException.of(code, field, message);
    synchronized (this) {
      if (closed || run != null) {
        return;
      }
      envelopeSeen = true;
      sendTerminalError(e);
    }
    service.recordRejection(e.code());
  }

  private void closeWithoutRun(ErrorCode code) {
    synchronized (this) {
      if (closed || run != null) {
        return;
      }
      closed = true;
    }
    service.recordRejection(code);
  }

  // ---- pipeline events ----

  @Override
  public synchronized void accepted(Accepted accepted) {
    send(SellerEvent.newBuilder().setAccepted(accepted).build());
  }

  @Override
  public synchronized void chunk(EncryptedChunk chunk) {
    send(SellerEvent.newBuilder().setChunk(chunk).build());
  }

  @Override
  public synchronized void usage(Usage usage) {
    send(SellerEvent.newBuilder().setUsage(usage).build());
  }

  @Override
  public void completed(SignedReceipt receipt) {
    synchronized (this) {
      if (!closed && !transportGone) {
        send(SellerEvent.newBuilder().setReceipt(receipt).build());
        safe(out::onCompleted);
      }
      closed = true;
    }
    release();
  }

  @Override
  public void failed(StageException error) {
    synchronized (this) {
      sendTerminalError(error);
    }
    release();
  }

  private void sendTerminalError(StageException error) {
    if (!closed && !transportGone) {
      send(SellerEvent.newBuilder().setError(error.toDetail()).build());
      safe(() -> out.onError(ErrorCodes.toStatus(error.toDetail())));
    }
    closed = true;
  }

  private void release() {
    boolean had;
    synchronized (this) {
      had = holdsSlot;
      holdsSlot = false;
    }
    if (had) {
      service.load().exit();
      service.unregister(this);
    }
    payments.offer(CANCELLED_MARK);
  }

  private void send(SellerEvent e) {
    if (closed || transportGone) {
      return;
    }
    safe(() -> out.onNext(e));
  }

  private static void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // The call was cancelled under us (IllegalStateException / StatusRuntimeException).
    }
  }

  @Override
  public void whenReady(Runnable resume) {
    if (out.isReady() || isFinished()) {
      resume.run();
      return;
    }
    pendingResume.set(resume);
    // onReady may have fired between the check and the set.
    if ((out.isReady() || isFinished()) && pendingResume.compareAndSet(resume, null)) {
      resume.run();
    }
  }

  private synchronized boolean isFinished() {
    return closed || transportGone;
  }

  private void onReady() {
    Runnable r = pendingResume.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  // ---- payment conversation ----

  @Override
  public synchronized List<PaymentAuthorization> received() {
    return List.copyOf(received);
  }

  @Override
  public PaymentAuthorization request(PaymentRequired required, Duration timeout) throws StageException {
    synchronized (this) {
      // Frames queued before this PaymentRequired were sent without seeing it (e.g. the buyer's
      // prepaid voucher, already read through received()): the answer is the next frame.
      boolean cancelled = false;
      for (Object stale; (stale = payments.poll()) != null; ) {
        cancelled |= stale == CANCELLED_MARK;
      }
      if (cancelled) {
        payments.offer(CANCELLED_MARK);
      }
      send(SellerEvent.newBuilder().setPaymentRequired(required).build());
    }
    Object next;
    try {
      next = payments.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StageException.of(ErrorCode.CANCELLED, "interrupted while waiting for payment");
    }
    if (next == null) {
      throw StageException.of(ErrorCode.PAYMENT_REQUIRED, "no payment authorization arrived in time");
    }
    if (next == CANCELLED_MARK) {
      throw StageException.of(ErrorCode.CANCELLED, "the stream ended while waiting for payment");
    }
    return (PaymentAuthorization) next;
  }

  static RequestRecord rejectionRecord(Instant at, ErrorCode code) {
    return new RequestRecord(at, "", "", code, null, 0, null, null, null, Duration.ZERO);
  }
}
