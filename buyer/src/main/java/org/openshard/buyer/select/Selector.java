package org.openshard.buyer.select;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.index.SellerIndex;
import org.openshard.buyer.index.SellerListing;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Offering;

/**
 * Filters the index for a request and ranks what is left ({@link Scoring}); also resolves a
 * pinned peer, which bypasses ranking and never falls back.
 */
public final class Selector {
  private final SellerIndex index;
  private final CircuitBreakers breakers;
  private final LatencyTracker latency;
  private final InFlight inFlight;
  private final Random tieBreaker;

  public Selector(SellerIndex index, CircuitBreakers breakers, LatencyTracker latency, InFlight inFlight, Random tieBreaker) {
    this.index = Objects.requireNonNull(index);
    this.breakers = Objects.requireNonNull(breakers);
    this.latency = Objects.requireNonNull(latency);
    this.inFlight = Objects.requireNonNull(inFlight);
    this.tieBreaker = Objects.requireNonNull(tieBreaker);
  }

  /** Candidates passing every filter, best first (equal scores in random order). */
  public List<Candidate> rank(SelectionQuery q) {
    List<SellerListing> eligible = new ArrayList<>();
    List<Offering> offerings = new ArrayList<>();
    for (SellerListing l : index.all()) {
      Optional<Offering> o = l.offeringFor(q.serviceId(), q.capability());
      if (o.isEmpty() || !withinCeilings(o.get(), q) || l.health() < q.minHealth()) {
        continue;
      }
      if (!breakers.forPeer(l.peerId()).isCallable()) {
        continue;
      }
      eligible.add(l);
      offerings.add(o.get());
    }
    if (eligible.isEmpty()) {
      return List.of();
    }
    long minCost = Long.MAX_VALUE;
    double minLatency = Double.MAX_VALUE;
    double[] lat = new double[eligible.size()];
    for (int i = 0; i < eligible.size(); i++) {
      minCost = Math.min(minCost, cost(offerings.get(i)));
      lat[i] = knownLatency(eligible.get(i));
      if (lat[i] >= 0) {
        minLatency = Math.min(minLatency, lat[i]);
      }
    }
    if (minLatency == Double.MAX_VALUE) {
      minLatency = 0.0;
    }
    List<Candidate> out = new ArrayList<>(eligible.size());
    for (int i = 0; i < eligible.size(); i++) {
      SellerListing l = eligible.get(i);
      double latencyMs = lat[i] >= 0 ? lat[i] : minLatency;
      int capacity = l.load().getCapacity();
      int busy = Math.max(l.load().getInFlight(), inFlight.get(l.peerId()));
      double utilization = capacity > 0 ? Math.min(1.0, busy / (double) capacity) : 0.0;
      boolean halfOpen = breakers.forPeer(l.peerId()).state() == CircuitBreaker.State.HALF_OPEN;
      double s =
          Scoring.score(
              Scoring.priceScore(cost(offerings.get(i)), minCost),
              Scoring.healthScore(l.health(), utilization),
              Scoring.latencyScore(latencyMs, minLatency),
              halfOpen);
      out.add(new Candidate(l, offerings.get(i), s));
    }
    Collections.shuffle(out, tieBreaker);
    out.sort(Comparator.comparingDouble(Candidate::score).reversed());
    return out;
  }

  /**
   * The pinned peer as the only candidate.
   *
   * @throws BuyerException PINNED_PEER_UNAVAILABLE if the peer is unknown, does not serve the
   *     request within the ceilings, or its circuit breaker is open
   */
  public Candidate pinned(String peerId, SelectionQuery q) throws BuyerException {
    Optional<SellerListing> l = index.get(peerId);
    if (l.isEmpty()) {
      throw unavailable(peerId, "pinned peer " + peerId + " is not a known live seller");
    }
    Optional<Offering> o = l.get().offeringFor(q.serviceId(), q.capability());
    if (o.isEmpty()) {
      throw unavailable(peerId, "pinned peer " + peerId + " does not offer service '" + q.serviceId() + "'");
    }
    if (!withinCeilings(o.get(), q)) {
      throw unavailable(peerId, "pinned peer " + peerId + " prices service '" + q.serviceId() + "' above the price ceiling");
    }
    if (!breakers.forPeer(l.get().peerId()).isCallable()) {
      throw unavailable(peerId, "pinned peer " + peerId + " is failing (circuit breaker open)");
    }
    return new Candidate(l.get(), o.get(), 1.0);
  }

  private static BuyerException unavailable(String peerId, String message) {
    return BuyerException.of(ErrorCode.PINNED_PEER_UNAVAILABLE, message).withMetadata("peer_id", peerId);
  }

  private double knownLatency(SellerListing l) {
    OptionalDouble own = latency.ewmaMs(l.peerId());
    if (own.isPresent()) {
      return own.getAsDouble();
    }
    int p50 = l.load().getLatencyP50Ms();
    return p50 > 0 ? p50 : -1;
  }

  static boolean withinCeilings(Offering o, SelectionQuery q) {
    return (q.maxInputPrice() == 0 || o.getPricing().getInputPerMillion() <= q.maxInputPrice())
        && (q.maxOutputPrice() == 0 || o.getPricing().getOutputPerMillion() <= q.maxOutputPrice());
  }

  private static long cost(Offering o) {
    long sum = o.getPricing().getInputPerMillion() + o.getPricing().getOutputPerMillion();
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
