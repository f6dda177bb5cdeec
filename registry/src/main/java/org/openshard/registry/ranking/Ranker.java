package org.openshard.registry.ranking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PeerListing;
import org.openshard.registry.store.LivePeer;

/**
 * Filters, scores and pages live peers for one Discover query. Order: score descending, then peer id
 * ascending. A page holds the {@code limit} best listings ranking strictly after the cursor, found
 * with a bounded heap (O(n log limit)).
 */
public final class Ranker {
  /** A candidate that passed the filters. */
  record Scored(LivePeer peer, Offering offering, double health, double score) {}

  /** Best first. */
  static final Comparator<Scored> RANK =
      Comparator.comparingDouble((Scored s) -> -s.score()).thenComparing(s -> s.peer().peerId());

  private final long intervalMs;
  private final long windowMs;

  public Ranker(long intervalMs, long windowMs) {
    this.intervalMs = intervalMs;
    this.windowMs = windowMs;
  }

  public DiscoverResponse rank(Collection<LivePeer> candidates, DiscoverQuery q, long nowMs) {
    PriorityQueue<Scored> worstFirst = new PriorityQueue<>(q.limit() + 1, RANK.reversed());
    int total = 0;
    int afterCursor = 0;
    for (LivePeer p : candidates) {
      if (!p.liveness().isLive(nowMs) || p.record().keyNotAfterUnix() * 1000 <= nowMs) {
        continue;
      }
      Offering o = matchingOffering(p, q);
      if (o == null) {
        continue;
      }
      double health =
          HealthScore.of(p.liveness().load(), p.liveness().lastHeartbeatMs(), q.asOfMs(), intervalMs, windowMs);
      if (health < q.minHealth()) {
        continue;
      }
      total++;
      Scored s = new Scored(p, o, health, Scorer.score(o.getPricing(), health, p.liveness().load()));
      if (q.cursor() != null && !after(s, q.cursor())) {
        continue;
      }
      afterCursor++;
      worstFirst.add(s);
      if (worstFirst.size() > q.limit()) {
        worstFirst.poll();
      }
    }
    List<Scored> page = new ArrayList<>(worstFirst);
    page.sort(RANK);
    DiscoverResponse.Builder out = DiscoverResponse.newBuilder().setTotalMatches(total);
    for (Scored s : page) {
      out.addPeers(listing(s));
    }
    if (afterCursor > page.size() && !page.isEmpty()) {
      Scored last = page.get(page.size() - 1);
      long hash =
          DiscoverQuery.filterHash(q.serviceId(), q.capability(), q.maxInputPrice(), q.maxOutputPrice(), q.minHealth());
      out.setNextPageToken(new PageToken(hash, q.asOfMs(), last.score(), last.peer().peerId()).encode());
    }
    return out.build();
  }

  /** True if {@code s} ranks strictly after the cursor. */
  static boolean after(Scored s, PageToken c) {
    int byScore = Double.compare(c.score(), s.score());
    if (byScore != 0) {
      return byScore > 0;
    }
    return s.peer().peerId().compareTo(c.peerId()) > 0;
  }

  /**
   * The offering that serves the query for this peer: among offerings listing the service id with
   * the wanted capability and within both price ceilings, the cheapest (input + output per million),
   * earliest on ties. Null if none.
   */
  static Offering matchingOffering(LivePeer p, DiscoverQuery q) {
    Offering best = null;
    long bestPrice = Long.MAX_VALUE;
    for (Offering o : p.record().registration().getOfferingsList()) {
      if (q.capability() != Capability.CAPABILITY_UNSPECIFIED && o.getCapability() != q.capability()) {
        continue;
      }
      if (!o.getServiceIdsList().contains(q.serviceId())) {
        continue;
      }
      long in = o.getPricing().getInputPerMillion();
      long outp = o.getPricing().getOutputPerMillion();
      if (q.maxInputPrice() != 0 && Long.compareUnsigned(in, q.maxInputPrice()) > 0) {
        continue;
      }
      if (q.maxOutputPrice() != 0 && Long.compareUnsigned(outp, q.maxOutputPrice()) > 0) {
        continue;
      }
      long price = in + outp;
      if (price < bestPrice) {
        best = o;
        bestPrice = price;
      }
    }
    return best;
  }

  static PeerListing listing(Scored s) {
    return PeerListing.newBuilder()
        .setSignedRegistration(s.peer().record().signed())
        .setRegistration(s.peer().record().registration())
        .setLoad(s.peer().liveness().load())
        .setHealth(s.health())
        .setScore(s.score())
        .setLastHeartbeatMs(s.peer().liveness().lastHeartbeatMs())
        .build();
  }
}
