package org.openshard.buyer.dispatch;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.ChatHandle;
import org.openshard.buyer.ChatListener;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.envelope.NullifierSlot;
import org.openshard.buyer.envelope.PreparedEnvelope;
import org.openshard.buyer.envelope.PreparedRequest;
import org.openshard.buyer.envelope.ResponseOpener;
import org.openshard.buyer.select.Candidate;
import org.openshard.buyer.select.CircuitBreaker;
import org.openshard.buyer.select.SelectionQuery;
import org.openshard.buyer.transport.SellerProfile;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.Cancel;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.RoutingOptions;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.Usage;

/**
 * One chat completion: a small state machine driven by gRPC callbacks, every transition under the
 * execution's lock.
 *
 * <p>Before the first decrypted chunk, a seller that is unreachable, times out or refuses is left
 * for the next candidate (new envelope, new nullifier slot), up to {@code maxAttempts}. Once a
 * chunk has been delivered the request is committed: any later failure fails the call and nothing
 * is re-sent. A pinned request has exactly one candidate.
 */
final class ChatExecution implements ChatHandle {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatExecution.class);
  /** Errors about the request itself: another seller would say the same. */
  private static final Set<ErrorCode> REQUEST_ERRORS =
      EnumSet.of(ErrorCode.INVALID_ARGUMENT, ErrorCode.INVALID_QUERY, ErrorCode.LIMIT_EXCEEDED, ErrorCode.CANCELLED);

  /** Failures that say the seller is unwell (count toward its circuit breaker). */
  private static final Set<ErrorCode> SELLER_FAULTS =
      EnumSet.of(
          ErrorCode.ERROR_CODE_UNSPECIFIED,
          ErrorCode.UPSTREAM_ERROR,
          ErrorCode.UPSTREAM_TIMEOUT,
          ErrorCode.INTERNAL,
          ErrorCode.SHUTTING_DOWN,
          ErrorCode.STORE_UNAVAILABLE,
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.UNKNOWN_PEER,
          ErrorCode.UNSUPPORTED_VERSION,
          ErrorCode.STREAM_INTEGRITY,
          ErrorCode.DECRYPTION_FAILED,
          ErrorCode.SIGNATURE_INVALID);

  /** Wait before retrying a seller that did not know the anchor set yet. */
  static final long ANCHOR_RETRY_MS = 1_200;

  private final BuyerEngine e;
  private final ChatRequest request;
  private final SelectionQuery query;
  private final String pin;
  private final Deadline deadline;
  private final ChatListener listener;
  private final SealedQuery sealedQuery;

  // All below guarded by this.
  private boolean finished;
  private boolean discoveryTried;
  private List<Candidate> candidates = List.of();
  private int nextCandidate;
  private int attempts;
  private Attempt current;
  private final List<String> attemptLog = new ArrayList<>();
  private BuyerException lastFailure;
  private boolean anchorRetried;
  /** Set after a resumed request was refused for its session: the retry carries an envelope. */
  private boolean envelopeOnly;

  ChatExecution(BuyerEngine e, ChatRequest request, RoutingOptions routing, String pin, Deadline deadline, ChatListener listener) {
    this.e = e;
    this.request = request;
    this.pin = pin;
    this.deadline = deadline;
    this.listener = listener;
    long maxIn = routing.getMaxInputPrice() != 0 ? routing.getMaxInputPrice() : e.options.maxInputPrice();
    long maxOut = routing.getMaxOutputPrice() != 0 ? routing.getMaxOutputPrice() : e.options.maxOutputPrice();
    Capability cap = routing.getCapability() == Capability.UNRECOGNIZED ? Capability.CAPABILITY_UNSPECIFIED : routing.getCapability();
    this.query = new SelectionQuery(request.model(), cap, maxIn, maxOut, e.options.minHealth());
    this.sealedQuery = SealedQuery.newBuilder().setServiceId(request.model()).setOpenaiRequestJson(request.openaiJson()).build();
  }

  synchronized void start() {
    selectCandidates();
  }

  private void selectCandidates() {
    if (finished) {
      return;
    }
    if (pin != null) {
      try {
        candidates = List.of(e.selector.pinned(pin, query));
      } catch (BuyerException ex) {
        if (!discoveryTried) {
          refreshThenSelect();
          return;
        }
        fail(ex);
        return;
      }
    } else {
      candidates = e.selector.rank(query);
      if (candidates.isEmpty() && !discoveryTried) {
        refreshThenSelect();
        return;
      }
    }
    nextCandidate = 0;
    nextAttempt();
  }

  private void refreshThenSelect() {
    discoveryTried = true;
    e.discovery
        .refresh(request.model())
        .whenComplete(
            (v, t) -> {
              synchronized (ChatExecution.this) {
                selectCandidates();
              }
            });
  }

  private void nextAttempt() {
    while (!finished) {
      if (deadline != null && deadline.isExpired()) {
        fail(BuyerException.of(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed before a seller answered"));
        return;
      }
      if (attempts >= e.options.maxAttempts() || nextCandidate >= candidates.size()) {
        failExhausted();
        return;
      }
      Candidate c = candidates.get(nextCandidate++);
      CircuitBreaker breaker = e.breakers.forPeer(c.peerId());
      if (!breaker.tryAcquire()) {
        attemptLog.add(c.peerId() + ": circuit breaker open");
        lastFailure = BuyerException.retryable(ErrorCode.UPSTREAM_ERROR, "circuit breaker open");
        continue;
      }
      attempts++;
      current = new Attempt(c, breaker);
      current.fetchProfile();
      return;
    }
  }

  private void failExhausted() {
    String log = String.join("; ", attemptLog);
    if (pin != null) {
      String why = lastFailure == null ? "unavailable" : lastFailure.code() + ": " + lastFailure.getMessage();
      BuyerException ex =
          BuyerException.retryable(ErrorCode.PINNED_PEER_UNAVAILABLE, "pinned peer " + pin + " failed (" + why + "); pinned requests never fall back")
              .withMetadata("peer_id", pin);
      fail(lastFailure == null ? ex : ex.withMetadata("cause_code", lastFailure.code().name()));
      return;
    }
    if (attempts == 0) {
      String msg =
          "no live seller offers '" + request.model() + "'" + (query.maxInputPrice() > 0 || query.maxOutputPrice() > 0 ? " within the price ceilings" : "")
              + (log.isEmpty() ? "" : " (" + log + ")");
      fail(BuyerException.retryable(ErrorCode.NO_SELLER_AVAILABLE, msg).withMetadata("service_id", request.model()));
      return;
    }
    BuyerException ex =
        BuyerException.retryable(ErrorCode.ALL_SELLERS_FAILED, attempts + " seller(s) failed before the first token: " + log)
            .withMetadata("attempts", Integer.toString(attempts));
    fail(lastFailure == null ? ex : ex.withMetadata("last_error_code", lastFailure.code().name()));
  }

  /** Terminal failure of the whole call. */
  private void fail(BuyerException ex) {
    if (finished) {
      return;
    }
    finished = true;
    Attempt a = current;
    current = null;
    if (a != null) {
      a.abort(SELLER_FAULTS.contains(ex.code()));
    }
    e.metrics.request(ex.code().name());
    try {
      listener.onError(ex);
    } catch (RuntimeException ignored) {
      // A listener failure must not break the state machine.
    }
  }

  @Override
  public void cancel() {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      Attempt a = current;
      current = null;
      if (a != null) {
        a.cancelGracefully();
      }
      e.metrics.request(ErrorCode.CANCELLED.name());
      try {
        listener.onError(BuyerException.of(ErrorCode.CANCELLED, "cancelled by the caller"));
      } catch (RuntimeException ignored) {
        // ignore
      }
    }
  }

  private boolean retryable(BuyerException ex) {
    if (REQUEST_ERRORS.contains(ex.code())) {
      return false;
    }
    return deadline == null || !deadline.isExpired();
  }

  private static BuyerException unwrap(Throwable t) {
    Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (c instanceof BuyerException) {
      return (BuyerException) c;
    }
    return BuyerException.retryable(ErrorCode.INTERNAL, "seller lookup failed: " + c).withCause(c);
  }

  /** One seller tried for this request. */
  private final class Attempt {
    final Candidate candidate;
    final CircuitBreaker breaker;
    final String peer;
    PreparedRequest prepared;
    ResponseOpener opener;
    StreamObserver<BuyerFrame> requestStream;
    boolean ended;
    boolean breakerSettled;
    boolean inFlightCounted;
    boolean started;
    Accepted accepted;
    Usage usage;
    VerifiedReceipt receipt;
    org.openshard.proto.v1.SignedReceipt signedReceipt;
    org.openshard.buyer.payments.BuyerPayments.Session pay;
    final MessageDigest responseHash;
    long sentAtNanos;
    ScheduledFuture<?> acceptTimer;

    Attempt(Candidate candidate, CircuitBreaker breaker) {
      this.candidate = candidate;
      this.breaker = breaker;
      this.peer = candidate.peerId();
      try {
        this.responseHash = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException ex) {
        throw new IllegalStateException(ex);
      }
    }

    boolean isCurrent() {
      return !finished && current == this && !ended;
    }

    void fetchProfile() {
      e.profiles.get(candidate.listing()).whenComplete(this::onProfile);
    }

    void onProfile(SellerProfile profile, Throwable t) {
      synchronized (ChatExecution.this) {
        if (!isCurrent()) {
          settle(null);
          return;
        }
        if (t != null) {
          BuyerException ex = unwrap(t);
          failed(ex, SELLER_FAULTS.contains(ex.code()) || ex.getCause() != null);
          return;
        }
        try {
          // A session this buyer holds with the seller: no proof, nullifier or key agreement (section 5a).
          Optional<PreparedRequest> resumed = envelopeOnly ? Optional.empty() : e.sessions.prepare(peer, sealedQuery);
          if (resumed.isPresent()) {
            prepared = resumed.get();
          } else {
            long epoch = profile.epochAt(e.clock.instant().getEpochSecond());
            Optional<NullifierSlot> slot = e.slots.reserve(peer, epoch, profile.slotsPerEpoch());
            if (slot.isEmpty()) {
              // Not an attempt: nothing was sent. Move on to another seller.
              attempts--;
              ended = true;
              settle(null);
              current = null;
              attemptLog.add(peer + ": nullifier slots of epoch " + epoch + " used up");
              lastFailure = BuyerException.retryable(ErrorCode.NULLIFIER_REPLAYED, "nullifier slots for this seller and epoch are used up");
              nextAttempt();
              return;
            }
            prepared = e.envelopes.prepare(profile.key(), sealedQuery, slot.get());
          }
          opener = prepared.responseOpener();
        } catch (BuyerException ex) {
          if (ex.retryable()) {
            failed(ex, false);
          } else {
            fail(ex);
          }
          return;
        }
        open();
      }
    }

    void open() {
      Channel ch = e.transport.channel(candidate.listing().endpoint());
      CallOptions opts = deadline == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadline(deadline);
      // Detach from the caller's gRPC context: cancellation is forwarded explicitly (Cancel frame).
      Context previous = Context.ROOT.attach();
      try {
        ClientCall<BuyerFrame, SellerEvent> call = ch.newCall(SellerGrpc.getInferMethod(), opts);
        requestStream = ClientCalls.asyncBidiStreamingCall(call, new Events());
      } finally {
        Context.ROOT.detach(previous);
      }
      e.inFlight.increment(peer);
      inFlightCounted = true;
      sentAtNanos = e.nanoClock.getAsLong();
      BuyerFrame.Builder first = BuyerFrame.newBuilder();
      prepared.writeTo(first);
      if (e.payments != null) {
        pay = e.payments.session(peer, org.openshard.payments.money.Usdc.ZERO);
        // The latest voucher rides in the envelope frame, so the seller sees it before its payment check.
        pay.prepaid().ifPresent(first::setPrepaid);
      }
      requestStream.onNext(first.build());
      acceptTimer = e.scheduler.schedule(this::onAcceptTimeout, e.options.acceptTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    void onAcceptTimeout() {
      synchronized (ChatExecution.this) {
        if (!isCurrent() || accepted != null || started) {
          return;
        }
        failed(
            BuyerException.retryable(ErrorCode.UPSTREAM_TIMEOUT, "seller did not answer the envelope within " + e.options.acceptTimeoutMs() + " ms"),
            true);
      }
    }

    void onEvent(SellerEvent ev) {
      switch (ev.getEventCase()) {
        case ACCEPTED:
          onAccepted(ev.getAccepted());
          break;
        case PAYMENT_REQUIRED:
          if (pay != null && !started) {
            PaymentRounds.answer(pay, ev.getPaymentRequired(), requestStream, this::onPaymentFailed);
            break;
          }
          BuyerException unpaid =
              BuyerException.retryable(ErrorCode.PAYMENT_REQUIRED, "seller asks for payment and this buyer has no payment channel with it");
          if (started) {
            fail(unpaid.withRetryable(false));
          } else {
            failed(unpaid, false);
          }
          break;
        case CHUNK:
          onChunk(ev.getChunk());
          break;
        case USAGE:
          usage = ev.getUsage();
          break;
        case RECEIPT:
          try {
            receipt = ReceiptVerifier.verify(ev.getReceipt(), peer, prepared.requestHash(), responseHash.digest());
            signedReceipt = ev.getReceipt();
          } catch (BuyerException ex) {
            fail(ex.withMetadata("peer_id", peer));
          }
          break;
        case ERROR:
          BuyerException ex = BuyerException.fromDetail(ev.getError()).withMetadata("peer_id", peer);
          if (started) {
            fail(ex.withRetryable(false));
          } else {
            failed(ex, SELLER_FAULTS.contains(ex.code()));
          }
          break;
        default:
          break;
      }
    }

    void onAccepted(Accepted a) {
      accepted = a;
      cancelTimer();
      if (!a.getNullifierHash().isEmpty() && !Bytes.hex(a.getNullifierHash().toByteArray()).equals(prepared.nullifierHashHex())) {
        failed(BuyerException.retryable(ErrorCode.INTERNAL, "seller accepted a nullifier other than the one sent"), true);
        return;
      }
      if (prepared instanceof PreparedEnvelope) {
        SessionResumption r = ((PreparedEnvelope) prepared).resumption();
        if (r != null) {
          if (a.hasSession()) {
            e.sessions.keep(peer, a.getSession(), r, prepared.nullifierHashHex());
          } else {
            r.erase();
          }
        }
      }
    }

    void onChunk(EncryptedChunk chunk) {
      StreamPayload payload;
      try {
        payload = opener.open(chunk);
      } catch (BuyerException ex) {
        fail(ex.withRetryable(false).withMetadata("peer_id", peer));
        return;
      }
      responseHash.update(chunk.getCiphertext().asReadOnlyByteBuffer());
      if (!started) {
        started = true;
        cancelTimer();
        double ttftMs = (e.nanoClock.getAsLong() - sentAtNanos) / 1e6;
        e.latency.record(peer, ttftMs);
        e.metrics.ttftSeconds(ttftMs / 1e3);
      }
      try {
        switch (payload.getPayloadCase()) {
          case OPENAI_CHUNK_JSON:
            String json = payload.getOpenaiChunkJson();
            listener.onChunk(ChatChunk.newBuilder().setOpenaiChunkJson(json).setContentDelta(OpenAiJson.contentDelta(json)).build());
            break;
          case OPENAI_RESPONSE_JSON:
            String body = payload.getOpenaiResponseJson();
            listener.onCompletion(ChatCompletion.newBuilder().setOpenaiResponseJson(body).setContent(OpenAiJson.messageContent(body)).build());
            break;
          default:
            break;
        }
      } catch (RuntimeException ignored) {
        // A listener failure must not break the state machine.
      }
    }

    void onStreamError(Throwable t) {
      BuyerException ex = ErrorStatuses.fromThrowableFor(t, peer);
      if (started) {
        fail(
            ErrorStatuses.hasDetail(t)
                ? ex.withRetryable(false)
                : BuyerException.of(ErrorCode.STREAM_INTEGRITY, "seller stream broke after the first token: " + ex.getMessage())
                    .withMetadata("peer_id", peer));
      } else {
        failed(ex, SELLER_FAULTS.contains(ex.code()) || !ErrorStatuses.hasDetail(t));
      }
    }

    void onStreamCompleted() {
      if (!started) {
        failed(BuyerException.retryable(ErrorCode.UPSTREAM_ERROR, "seller closed the stream without answering").withMetadata("peer_id", peer), true);
        return;
      }
      try {
        opener.finish();
      } catch (BuyerException ex) {
        fail(ex.withRetryable(false).withMetadata("peer_id", peer));
        return;
      }
      succeed();
    }

    /** This attempt failed before the first token. */
    void failed(BuyerException ex, boolean sellerFault) {
      abort(sellerFault);
      ErrorCode code = ex.code();
      if (code == ErrorCode.UNKNOWN_SELLER_KEY || code == ErrorCode.SELLER_KEY_EXPIRED || code == ErrorCode.SCOPE_INVALID) {
        e.profiles.invalidate(peer);
      }
      e.metrics.attempt(code.name());
      LOG.debug("attempt at {} failed before the first token: {} {}", peer, code, ex.getMessage());
      attemptLog.add(peer + ": " + code + " (" + ex.getMessage() + ")");
      lastFailure = ex;
      current = null;
      if (!retryable(ex)) {
        if (REQUEST_ERRORS.contains(code)) {
          fail(ex);
        } else {
          // Another seller would have been tried but the deadline is up: the application learns
          // that, not the seller's code as if it were about its own request (ERR-3c).
          fail(BuyerException.of(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed while sellers failed (" + String.join("; ", attemptLog) + ")")
              .withMetadata("cause_code", code.name())
              .withMetadata("peer_id", peer));
        }
        return;
      }
      if (prepared != null && prepared.resumed() && !envelopeOnly
          && (code == ErrorCode.SESSION_UNKNOWN || code == ErrorCode.SESSION_REQUEST_REPLAYED)) {
        // The seller no longer holds the session (expired, restarted, another replica): nothing
        // was served, so the same seller gets a full envelope right away (RES-9). Not an attempt.
        e.sessions.forget(peer, prepared);
        envelopeOnly = true;
        nextCandidate--;
        attempts--;
        nextAttempt();
        return;
      }
      if (code == ErrorCode.UNKNOWN_ANCHOR_SET && !anchorRetried) {
        // The seller fetches an anchor-set epoch it does not know yet (rate-limited: each epoch at
        // most once a second, at most 8 fetches a second in all):
        // give it that time and try the same seller once more.
        anchorRetried = true;
        nextCandidate--;
        e.scheduler.schedule(
            () -> {
              synchronized (ChatExecution.this) {
                nextAttempt();
              }
            },
            ANCHOR_RETRY_MS,
            TimeUnit.MILLISECONDS);
        return;
      }
      nextAttempt();
    }

    void onPaymentFailed(BuyerException ex) {
      failed(ex.withMetadata("peer_id", peer), false);
    }

    void succeed() {
      if (pay != null && receipt != null) {
        try {
          PaymentRounds.record(pay, signedReceipt, receipt.receipt(), accepted);
        } catch (BuyerException ex) {
          fail(ex.withRetryable(false).withMetadata("peer_id", peer));
          return;
        }
      }
      end();
      try {
        requestStream.onCompleted();
      } catch (RuntimeException ignored) {
        // already closed
      }
      settle(Boolean.TRUE);
      finished = true;
      current = null;
      e.metrics.attempt("ok");
      e.metrics.request("ok");
      try {
        listener.onSummary(summary());
      } catch (RuntimeException ignored) {
        // ignore
      }
    }

    RequestSummary summary() {
      Offering served = candidate.offering();
      if (accepted != null && !accepted.getOfferingId().isEmpty()) {
        for (Offering o : candidate.listing().offerings()) {
          if (o.getOfferingId().equals(accepted.getOfferingId())) {
            served = o;
          }
        }
      }
      RequestSummary.Builder s =
          RequestSummary.newBuilder()
              .setSellerId(peer)
              .setOfferingId(served.getOfferingId())
              .setAttempts(attempts)
              .setPricing(served.getPricing())
              .setNullifierHash(prepared.nullifierHashHex());
      if (receipt != null) {
        s.setUsage(receipt.receipt().getUsage()).setAmountCharged(receipt.receipt().getAmountCharged()).setReceiptId(receipt.receiptIdHex());
      } else if (usage != null) {
        s.setUsage(usage);
      }
      return s.build();
    }

    /** Ends the attempt and resets its stream, if any. */
    void abort(boolean sellerFault) {
      if (!ended && requestStream != null) {
        try {
          requestStream.onError(Status.CANCELLED.withDescription("buyer abandoned the attempt").asRuntimeException());
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
      end();
      settle(sellerFault ? Boolean.FALSE : null);
    }

    /** Tells the seller to stop (Cancel frame, half-close), then resets the stream after a grace period. */
    void cancelGracefully() {
      if (!ended && requestStream != null) {
        StreamObserver<BuyerFrame> rs = requestStream;
        try {
          rs.onNext(BuyerFrame.newBuilder().setCancel(Cancel.newBuilder().setReason("cancelled by the buyer")).build());
          rs.onCompleted();
        } catch (RuntimeException ignored) {
          // already closed
        }
        Runnable reset =
            () -> {
              try {
                rs.onError(Status.CANCELLED.withDescription("cancelled by the buyer").asRuntimeException());
              } catch (RuntimeException ignored) {
                // already closed
              }
            };
        if (e.options.cancelGraceMs() == 0) {
          reset.run();
        } else {
          e.scheduler.schedule(reset, e.options.cancelGraceMs(), TimeUnit.MILLISECONDS);
        }
      }
      end();
      settle(null);
    }

    void end() {
      if (ended) {
        return;
      }
      ended = true;
      cancelTimer();
      if (inFlightCounted) {
        inFlightCounted = false;
        e.inFlight.decrement(peer);
      }
    }

    /** Reports the attempt to the breaker once: TRUE success, FALSE failure, null neutral. */
    void settle(Boolean verdict) {
      if (breakerSettled) {
        return;
      }
      breakerSettled = true;
      if (verdict == null) {
        breaker.onNeutral();
      } else if (verdict) {
        breaker.onSuccess();
      } else {
        breaker.onFailure();
      }
    }

    void cancelTimer() {
      if (acceptTimer != null) {
        acceptTimer.cancel(false);
        acceptTimer = null;
      }
    }

    /** The seller's events, applied under the execution lock. */
    final class Events implements StreamObserver<SellerEvent> {
      @Override
      public void onNext(SellerEvent ev) {
        synchronized (ChatExecution.this) {
          if (isCurrent()) {
            onEvent(ev);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        synchronized (ChatExecution.this) {
          if (isCurrent()) {
            onStreamError(t);
          }
        }
      }

      @Override
      public void onCompleted() {
        synchronized (ChatExecution.this) {
          if (isCurrent()) {
            onStreamCompleted();
          }
        }
      }
    }
  }
}
