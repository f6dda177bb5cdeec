package org.openshard.buyer.index;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PaymentTerms;

/**
 * A seller in the buyer's index. Everything but the load signals comes from the registration the
 * seller signed and the buyer verified; health and load are the registry's (unsigned, used only
 * for ranking).
 */
public final class SellerListing {
  private final String peerId;
  private final String endpoint;
  private final List<Offering> offerings;
  private final SellerKey key;
  private final PaymentTerms paymentTerms;
  private final long registeredAtMs;
  private final ByteString signedRegistration;
  private final double health;
  private final LoadReport load;
  private final long lastHeartbeatMs;

  SellerListing(
      String peerId,
      String endpoint,
      List<Offering> offerings,
      SellerKey key,
      PaymentTerms paymentTerms,
      long registeredAtMs,
      ByteString signedRegistration,
      double health,
      LoadReport load,
      long lastHeartbeatMs) {
    this.peerId = Objects.requireNonNull(peerId);
    this.endpoint = Objects.requireNonNull(endpoint);
    this.offerings = List.copyOf(offerings);
    this.key = Objects.requireNonNull(key);
    this.paymentTerms = paymentTerms;
    this.registeredAtMs = registeredAtMs;
    this.signedRegistration = signedRegistration;
    this.health = Double.isFinite(health) ? Math.max(0.0, Math.min(1.0, health)) : 0.0;
    this.load = load == null ? LoadReport.getDefaultInstance() : load;
    this.lastHeartbeatMs = lastHeartbeatMs;
  }

  /** A listing built directly (tests, fixed peers): no signed bytes. */
  public static SellerListing of(
      String peerId, String endpoint, List<Offering> offerings, SellerKey key, double health, LoadReport load) {
    return new SellerListing(
        peerId, endpoint, offerings, key, PaymentTerms.getDefaultInstance(), 0L, ByteString.EMPTY, health, load, 0L);
  }

  /** The same verified registration with fresh registry signals. */
  SellerListing withSignals(double newHealth, LoadReport newLoad, long newLastHeartbeatMs) {
    return new SellerListing(
        peerId, endpoint, offerings, key, paymentTerms, registeredAtMs, signedRegistration, newHealth, newLoad,
        newLastHeartbeatMs);
  }

  /** Lowercase 0x peer id. */
  public String peerId() {
    return peerId;
  }

  public String endpoint() {
    return endpoint;
  }

  public List<Offering> offerings() {
    return offerings;
  }

  public SellerKey key() {
    return key;
  }

  public PaymentTerms paymentTerms() {
    return paymentTerms;
  }

  public long registeredAtMs() {
    return registeredAtMs;
  }

  ByteString signedRegistration() {
    return signedRegistration;
  }

  public double health() {
    return health;
  }

  public LoadReport load() {
    return load;
  }

  public long lastHeartbeatMs() {
    return lastHeartbeatMs;
  }

  /**
   * The cheapest offering (by input + output price) that serves {@code serviceId} with the given
   * capability ({@code CAPABILITY_UNSPECIFIED} = any).
   */
  public Optional<Offering> offeringFor(String serviceId, Capability capability) {
    Offering best = null;
    for (Offering o : offerings) {
      if (!o.getServiceIdsList().contains(serviceId)) {
        continue;
      }
      if (capability != Capability.CAPABILITY_UNSPECIFIED && o.getCapability() != capability) {
        continue;
      }
      if (best == null || cost(o) < cost(best)) {
        best = o;
      }
    }
    return Optional.ofNullable(best);
  }

  static long cost(Offering o) {
    long in = o.getPricing().getInputPerMillion();
    long out = o.getPricing().getOutputPerMillion();
    long sum = in + out;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  @Override
  public String toString() {
    return "SellerListing{" + peerId + " @ " + endpoint + ", " + offerings.size() + " offerings, health " + health + "}";
  }
}
