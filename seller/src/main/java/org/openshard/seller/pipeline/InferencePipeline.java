package org.openshard.seller.pipeline;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.openshard.payments.receipts.Receipts;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.SessionTicket;
import org.openshard.crypto.Bytes;
import org.openshard.proto.v1.SignedReceipt;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.upstream.OpenAiRequest;
import org.openshard.seller.upstream.Upstream;
import org.openshard.seller.upstream.UpstreamCall;
import org.openshard.seller.upstream.UpstreamListener;
import org.openshard.seller.upstream.UpstreamRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seller's request pipeline. Each request runs these steps in exactly this order and stops at
 * the first failure with a typed error (docs/protocol.md, SELL-4):
 *
 * <ol start="0">
 *   <li>stateless envelope shape checks ({@link EnvelopeShape});
 *   <li>verify the zero-knowledge proof ({@link ProofCheck});
 *   <li>check the nullifier against the replay store and
 *   <li>store it ({@link NullifierStore}, one atomic claim);
 *   <li>ECDH with the ephemeral key,
 *   <li>decrypt the session key and
 *   <li>decrypt the query ({@link EnvelopeDecryptor}); resolve the offering and parse the request;
 *       send Accepted;
 *   <li>validate payment ({@link PaymentGate});
 *   <li>forward upstream ({@link Upstream}), relaying each chunk encrypted as it arrives, then
 *       usage and a signed receipt.
 * </ol>
 *
 * Thread-safe; one {@link Run} per request.
 */
public final class InferencePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(InferencePipeline.class);

  private final EnvelopeShape shape;
  private final ProofCheck proofCheck;
  private final NullifierStore nullifiers;
  private final EnvelopeDecryptor decryptor;
  private final PaymentGate paymentGate;
  private final Upstream upstream;
  private final List<Offering> offerings;
  private final ReceiptIssuer receipts;
  private final SessionStore sessions;
  private final RequestObserver observer;
  private final Clock clock;
  private final Duration upstreamTimeout;

  private InferencePipeline(Builder b) {
    this.receipts = Objects.requireNonNull(b.receipts, "receipts");
    this.clock = b.clock;
    this.shape = new EnvelopeShape(receipts.sellerId(), clock, b.maxClockSkew);
    this.proofCheck = Objects.requireNonNull(b.proofCheck, "proofCheck");
    this.nullifiers = Objects.requireNonNull(b.nullifiers, "nullifiers");
    this.decryptor = Objects.requireNonNull(b.decryptor, "decryptor");
    this.paymentGate = Objects.requireNonNull(b.paymentGate, "paymentGate");
    this.upstream = Objects.requireNonNull(b.upstream, "upstream");
    this.offerings = List.copyOf(Objects.requireNonNull(b.offerings, "offerings"));
    this.observer = b.observer;
    this.sessions = b.sessions;
    this.upstreamTimeout = b.upstreamTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Offering> offerings() {
    return offerings;
  }

  /**
   * Prepares one request. Call {@link Run#execute()} (blocking admission; forwarding continues
   * asynchronously) off the transport thread, and {@link Run#cancel} from anywhere.
   *
   * @param deadline the caller's deadline, or null
   */
  public Run newRun(PrivacyEnvelope envelope, InferenceSink sink, PaymentConversation payments, Instant deadline) {
    return new Run(Objects.requireNonNull(envelope, "envelope"), null, sink, payments, deadline);
  }

  /**
   * Prepares one resumed request (docs/protocol.md section 5a): stages 0 to 6 are replaced by the
   * session store's admission (ticket, decryption, request number); the rest is the same.
   */
  public Run newResumedRun(ResumedRequest resumed, InferenceSink sink, PaymentConversation payments, Instant deadline) {
    return new Run(null, Objects.requireNonNull(resumed, "resumed"), sink, payments, deadline);
  }

  /** The offering serving {@code serviceId}. */
  Offering resolve(String serviceId) throws StageException {
    for (Offering o : offerings) {
      if (o.serves(serviceId)) {
        return o;
      }
    }
    throw StageException.of(ErrorCode.UNKNOWN_SERVICE, "service_id", "this seller has no offering for the requested service id");
  }

  /** One request's journey through the pipeline. */
  public final class Run implements UpstreamListener {
    private final PrivacyEnvelope envelope; // null for a resumed request
    private final ResumedRequest resumed; // null for an envelope
    private final InferenceSink sink;
    private final PaymentConversation payments;
    private final Instant deadline;
    private final Instant startedAt;
    private final long startNanos;
    private final MessageDigest responseHash;

    // Guarded by this.
    private boolean terminal;
    private boolean started;
    private UpstreamCall call;
    private ResponseSealer sealer;
    private Offering offering;
    private Charge charge;
    private String nullifierHash = "";
    private Duration proofVerify;
    private Duration ttft;
    private long upstreamStartNanos;
    private boolean finalSent;
    private boolean stream;

    private Run(
        PrivacyEnvelope envelope, ResumedRequest resumed, InferenceSink sink, PaymentConversation payments, Instant deadline) {
      this.envelope = envelope;
      this.resumed = resumed;
      this.sink = Objects.requireNonNull(sink, "sink");
      this.payments = Objects.requireNonNull(payments, "payments");
      this.deadline = deadline;
      this.startedAt = clock.instant();
      this.startNanos = System.nanoTime();
      try {
        this.responseHash = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Runs the admission steps on the calling thread, then starts forwarding. Call once. */
    public void execute() {
      synchronized (this) {
        if (started) {
          throw new IllegalStateException("a run executes once");
        }
        started = true;
      }
      observer.started();
      try {
        admitAndForward();
      } catch (StageException e) {
        fail(e);
      } catch (RuntimeException e) {
        LOG.warn("pipeline bug: {} at {}", e.getClass().getName(), e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        fail(StageException.of(ErrorCode.INTERNAL, "internal error in the seller pipeline"));
      }
    }

    private void admitAndForward() throws StageException {
      if (resumed != null) {
        checkOpen();
        SessionStore.Admitted admitted = sessions.admit(resumed);
        synchronized (this) {
          nullifierHash = Bytes.hex(admitted.nullifierHash().toByteArray());
        }
        forward(admitted.opened(), admitted.nullifierHash());
        return;
      }
      shape.check(envelope);
      checkOpen();
      long t0 = System.nanoTime();
      VerifiedProof proof;
      try {
        proof = proofCheck.verify(envelope);
      } finally {
        Duration d = Duration.ofNanos(System.nanoTime() - t0);
        synchronized (this) {
          proofVerify = d;
        }
        observer.proofVerified(d);
      }
      synchronized (this) {
        nullifierHash = proof.nullifier().hashHex();
      }
      checkOpen();
      nullifiers.claim(proof.nullifier(), proof.retainUntil());
      checkOpen();
      OpenedQuery opened = decryptor.open(envelope);
      forward(opened, proof.nullifier().hash());
    }

    /**
     * Resolves the offering and parses the request, keeps an envelope's session (RES-2), sends
     * Accepted, then validates payment and forwards upstream.
     */
    private void forward(OpenedQuery opened, ByteString nullifier) throws StageException {
      Offering o;
      OpenAiRequest request;
      long maxCost;
      try {
        o = resolve(opened.query().getServiceId());
        synchronized (this) {
          offering = o;
        }
        request = OpenAiRequest.parse(opened.query().getOpenaiRequestJson());
        maxCost = RequestCost.max(o, request);
      } catch (StageException | RuntimeException e) {
        if (opened.resumption() != null) {
          opened.resumption().erase();
        }
        throw e;
      }
      SessionTicket ticket = opened.resumption() == null ? null : sessions.keep(opened.resumption(), nullifier);
      synchronized (this) {
        checkOpen();
        sealer = opened.sealer();
        stream = request.stream();
        Accepted.Builder accepted =
            Accepted.newBuilder().setOfferingId(o.id()).setNullifierHash(nullifier).setMaxRequestCost(maxCost);
        if (ticket != null) {
          accepted.setSession(ticket);
        }
        sink.accepted(accepted.build());
      }
      Charge c = paymentGate.authorize(new PaymentContext(o, maxCost, opened.query().getMaxCost(), payments));
      Duration timeout = upstreamTimeout;
      if (deadline != null) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          c.release();
          throw StageException.of(ErrorCode.DEADLINE_EXCEEDED, "the deadline passed before the upstream was called");
        }
        if (left.compareTo(timeout) < 0) {
          timeout = left;
        }
      }
      UpstreamRequest up = new UpstreamRequest(request, o.upstreamModel(), timeout);
      synchronized (this) {
        if (terminal) {
          c.release();
        }
        checkOpen();
        charge = c;
        upstreamStartNanos = System.nanoTime();
        call = upstream.start(up, this, sink::whenReady);
        if (terminal) {
          call.cancel();
        }
      }
    }

    private synchronized void checkOpen() throws StageException {
      if (terminal) {
        throw StageException.of(ErrorCode.CANCELLED, "the request was already ended");
      }
    }

    /**
     * Ends the request early (buyer cancel, deadline, shutdown): cancels the upstream call and
     * reports {@code code} as the terminal error. No-op if the request already ended.
     */
    public void cancel(ErrorCode code, String message) {
      fail(StageException.of(code, message));
    }

    @Override
    public synchronized void onChunk(String chunkJson) {
      if (terminal) {
        return;
      }
      emit(StreamPayload.newBuilder().setOpenaiChunkJson(chunkJson).build(), false);
    }

    @Override
    public synchronized void onResponse(String responseJson) {
      if (terminal) {
        return;
      }
      emit(StreamPayload.newBuilder().setOpenaiResponseJson(responseJson).build(), true);
    }

    @Override
    public void onComplete(Usage usage) {
      synchronized (this) {
        if (terminal) {
          return;
        }
        if (!finalSent) {
          // Streams end with an empty final chunk, so every upstream chunk could be relayed at once.
          emit(StreamPayload.getDefaultInstance(), true);
          if (terminal) {
            return;
          }
        }
        sink.usage(usage);
        long amount = charge.settle(usage);
        SignedReceipt receipt =
            receipts.issue(
                resumed != null ? Receipts.requestHash(resumed) : Receipts.requestHash(envelope),
                ByteString.copyFrom(responseHash.digest()),
                usage,
                amount,
                charge,
                offering.id());
        terminal = true;
        finish(null, usage, amount);
        sink.completed(receipt);
      }
    }

    @Override
    public void onError(StageException error) {
      fail(error);
    }

    private void emit(StreamPayload payload, boolean last) {
      EncryptedChunk chunk;
      try {
        chunk = sealer.seal(payload, last);
      } catch (StageException e) {
        fail(e);
        return;
      }
      if (ttft == null) {
        ttft = Duration.ofNanos(System.nanoTime() - startNanos);
      }
      if (last) {
        finalSent = true;
      }
      responseHash.update(chunk.getCiphertext().asReadOnlyByteBuffer());
      sink.chunk(chunk);
    }

    private void fail(StageException e) {
      UpstreamCall toCancel;
      Charge toRelease;
      synchronized (this) {
        if (terminal) {
          return;
        }
        terminal = true;
        toCancel = call;
        toRelease = charge;
        finish(e.code(), null, 0);
        sink.failed(e);
      }
      if (toCancel != null) {
        toCancel.cancel();
      }
      if (toRelease != null) {
        try {
          toRelease.release();
        } catch (RuntimeException ex) {
          LOG.warn("releasing a payment reservation failed: {}", ex.getClass().getName());
        }
      }
    }

    private void finish(ErrorCode error, Usage usage, long amount) {
      Duration upstreamTime = upstreamStartNanos == 0 ? null : Duration.ofNanos(System.nanoTime() - upstreamStartNanos);
      observer.finished(
          new RequestRecord(
              startedAt,
              nullifierHash,
              offering == null ? "" : offering.id(),
              error,
              usage,
              amount,
              proofVerify,
              ttft,
              upstreamTime,
              Duration.ofNanos(System.nanoTime() - startNanos)));
    }

    /** True once the request ended (either way). */
    public synchronized boolean ended() {
      return terminal;
    }

    /** True if the request is a streaming one (known after decryption). */
    public synchronized boolean streaming() {
      return stream;
    }
  }

  /** Builder for {@link InferencePipeline}. */
  public static final class Builder {
    private ProofCheck proofCheck;
    private NullifierStore nullifiers;
    private EnvelopeDecryptor decryptor;
    private PaymentGate paymentGate = new FreeOfferingsOnly();
    private Upstream upstream;
    private List<Offering> offerings = new ArrayList<>();
    private ReceiptIssuer receipts;
    private SessionStore sessions = SessionStore.NONE;
    private RequestObserver observer = RequestObserver.NONE;
    private Clock clock = Clock.systemUTC();
    private Duration upstreamTimeout = Duration.ofMinutes(5);
    private Duration maxClockSkew = Duration.ofMinutes(2);

    private Builder() {}

    public Builder proofCheck(ProofCheck v) {
      this.proofCheck = v;
      return this;
    }

    public Builder nullifierStore(NullifierStore v) {
      this.nullifiers = v;
      return this;
    }

    public Builder decryptor(EnvelopeDecryptor v) {
      this.decryptor = v;
      return this;
    }

    public Builder paymentGate(PaymentGate v) {
      this.paymentGate = v;
      return this;
    }

    public Builder upstream(Upstream v) {
      this.upstream = v;
      return this;
    }

    public Builder offerings(List<Offering> v) {
      this.offerings = v;
      return this;
    }

    public Builder receipts(ReceiptIssuer v) {
      this.receipts = v;
      return this;
    }

    /** Where admitted envelopes' sessions are kept for resumption. Default: none kept. */
    public Builder sessions(SessionStore v) {
      this.sessions = Objects.requireNonNull(v, "sessions");
      return this;
    }

    public Builder observer(RequestObserver v) {
      this.observer = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    /** Total time limit of an upstream request (clamped to the gRPC deadline). Default 5 min. */
    public Builder upstreamTimeout(Duration v) {
      this.upstreamTimeout = v;
      return this;
    }

    /**
     * Largest accepted distance between an envelope's timestamp and the seller's clock. Default 2
     * min (the envelope opener's default, ENV-13).
     */
    public Builder maxClockSkew(Duration v) {
      this.maxClockSkew = v;
      return this;
    }

    public InferencePipeline build() {
      return new InferencePipeline(this);
    }
  }
}
