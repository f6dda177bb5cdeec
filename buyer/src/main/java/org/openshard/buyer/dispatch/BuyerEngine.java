package org.openshard.buyer.dispatch;

import io.grpc.Deadline;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.BuyerOptions;
import org.openshard.buyer.ChatHandle;
import org.openshard.buyer.ChatListener;
import org.openshard.buyer.envelope.EnvelopeFactory;
import org.openshard.buyer.envelope.NullifierSlots;
import org.openshard.buyer.select.CircuitBreakers;
import org.openshard.buyer.select.InFlight;
import org.openshard.buyer.select.LatencyTracker;
import org.openshard.buyer.select.Selector;
import org.openshard.buyer.transport.SellerProfiles;
import org.openshard.buyer.transport.SellerTransport;
import org.openshard.proto.v1.RoutingOptions;

/**
 * Runs private chat completions: selection (or the pin), envelope, Infer stream, failover before
 * the first token, decryption and receipt checks. Shared by the gRPC gateway and {@code
 * BuyerClient}. Thread-safe; holds no per-request state.
 */
public final class BuyerEngine {
  final BuyerOptions options;
  final Selector selector;
  final SellerDiscovery discovery;
  final SellerProfiles profiles;
  final SellerTransport transport;
  final NullifierSlots slots;
  final EnvelopeFactory envelopes;
  final CircuitBreakers breakers;
  final LatencyTracker latency;
  final InFlight inFlight;
  final Clock clock;
  final LongSupplier nanoClock;
  final ScheduledExecutorService scheduler;
  final BuyerMetrics metrics;
  final org.openshard.buyer.payments.BuyerPayments payments;
  final org.openshard.buyer.envelope.ResumedSessions sessions;

  private BuyerEngine(Builder b) {
    this.options = Objects.requireNonNull(b.options, "options");
    this.selector = Objects.requireNonNull(b.selector, "selector");
    this.discovery = b.discovery == null ? SellerDiscovery.NONE : b.discovery;
    this.profiles = Objects.requireNonNull(b.profiles, "profiles");
    this.transport = Objects.requireNonNull(b.transport, "transport");
    this.slots = Objects.requireNonNull(b.slots, "slots");
    this.envelopes = Objects.requireNonNull(b.envelopes, "envelopes");
    this.breakers = Objects.requireNonNull(b.breakers, "breakers");
    this.latency = Objects.requireNonNull(b.latency, "latency");
    this.inFlight = Objects.requireNonNull(b.inFlight, "inFlight");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.nanoClock = Objects.requireNonNull(b.nanoClock, "nanoClock");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.metrics = b.metrics == null ? BuyerMetrics.noop() : b.metrics;
    this.payments = b.payments;
    this.sessions = b.sessions == null ? org.openshard.buyer.envelope.ResumedSessions.disabled() : b.sessions;
  }

  public static Builder builder() {
    return new Builder();
  }

  public BuyerOptions options() {
    return options;
  }

  /**
   * Starts a chat completion. Validation failures are reported through {@code listener} like every
   * other failure.
   *
   * @param openaiJson the OpenAI chat-completions request body
   * @param routing pin, price ceilings and capability (empty = the buyer's defaults)
   * @param pinFromMetadata the {@code x-openshard-peer} value, or null
   * @param deadline when the call must be over, or null
   */
  public ChatHandle execute(
      String openaiJson, RoutingOptions routing, String pinFromMetadata, Deadline deadline, ChatListener listener) {
    Objects.requireNonNull(listener, "listener");
    ChatRequest request;
    String pin;
    try {
      request = ChatRequest.parse(openaiJson);
      pin = resolvePin(routing, pinFromMetadata);
    } catch (BuyerException e) {
      metrics.request(e.code().name());
      listener.onError(e);
      return () -> {};
    }
    ChatExecution exec = new ChatExecution(this, request, routing == null ? RoutingOptions.getDefaultInstance() : routing, pin, deadline, listener);
    exec.start();
    return exec;
  }

  static String resolvePin(RoutingOptions routing, String fromMetadata) throws BuyerException {
    String a = routing == null ? "" : routing.getPeerId().trim();
    String b = fromMetadata == null ? "" : fromMetadata.trim();
    if (!a.isEmpty() && !b.isEmpty() && !a.equalsIgnoreCase(b)) {
      throw BuyerException.invalidArgument("routing.peer_id", "routing.peer_id and x-openshard-peer name different peers");
    }
    String pin = a.isEmpty() ? b : a;
    if (pin.isEmpty()) {
      return null;
    }
    if (!pin.matches("0[xX][0-9a-fA-F]{40}")) {
      throw BuyerException.invalidArgument("routing.peer_id", "a peer id is 0x followed by 40 hex characters");
    }
    return pin.toLowerCase(java.util.Locale.ROOT);
  }

  /** Builder; every component is required except discovery and metrics. */
  public static final class Builder {
    private BuyerOptions options;
    private Selector selector;
    private SellerDiscovery discovery;
    private SellerProfiles profiles;
    private SellerTransport transport;
    private NullifierSlots slots;
    private EnvelopeFactory envelopes;
    private CircuitBreakers breakers;
    private LatencyTracker latency;
    private InFlight inFlight;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoClock = System::nanoTime;
    private ScheduledExecutorService scheduler;
    private BuyerMetrics metrics;
    private org.openshard.buyer.payments.BuyerPayments payments;
    private org.openshard.buyer.envelope.ResumedSessions sessions;

    private Builder() {}

    public Builder options(BuyerOptions v) {
      options = v;
      return this;
    }

    public Builder selector(Selector v) {
      selector = v;
      return this;
    }

    public Builder discovery(SellerDiscovery v) {
      discovery = v;
      return this;
    }

    public Builder profiles(SellerProfiles v) {
      profiles = v;
      return this;
    }

    public Builder transport(SellerTransport v) {
      transport = v;
      return this;
    }

    public Builder slots(NullifierSlots v) {
      slots = v;
      return this;
    }

    public Builder envelopes(EnvelopeFactory v) {
      envelopes = v;
      return this;
    }

    public Builder breakers(CircuitBreakers v) {
      breakers = v;
      return this;
    }

    public Builder latency(LatencyTracker v) {
      latency = v;
      return this;
    }

    public Builder inFlight(InFlight v) {
      inFlight = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder nanoClock(LongSupplier v) {
      nanoClock = v;
      return this;
    }

    public Builder scheduler(ScheduledExecutorService v) {
      scheduler = v;
      return this;
    }

    public Builder metrics(BuyerMetrics v) {
      metrics = v;
      return this;
    }

    /** Pays priced sellers through payment channels; without it a PaymentRequired moves on to another seller. */
    /** Session resumption (docs/protocol.md section 5a). Default: disabled, an envelope per request. */
    public Builder sessions(org.openshard.buyer.envelope.ResumedSessions v) {
      sessions = v;
      return this;
    }

    public Builder payments(org.openshard.buyer.payments.BuyerPayments v) {
      payments = v;
      return this;
    }

    public BuyerEngine build() {
      return new BuyerEngine(this);
    }
  }
}
