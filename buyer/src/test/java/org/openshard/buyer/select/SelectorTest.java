package org.openshard.buyer.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.buyer.index.ListingVerifier;
import org.openshard.buyer.index.SellerIndex;
import org.openshard.buyer.index.SellerListing;
import org.openshard.buyer.fakes.FakeKeys;
import org.openshard.buyer.fakes.FakeSeller;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;

class SelectorTest {
  private final SellerIndex index = new SellerIndex(new ListingVerifier(new FakeKeys()), java.time.Clock.systemUTC());
  private final AtomicLong nanos = new AtomicLong();
  private final CircuitBreakers breakers = new CircuitBreakers(1, 1000, 1000, nanos::get);
  private final LatencyTracker latency = new LatencyTracker(1.0);
  private final InFlight inFlight = new InFlight();
  private final Selector selector = new Selector(index, breakers, latency, inFlight, new SecureRandom());

  private static String id(int n) {
    return String.format("0x%040x", n);
  }

  private static SellerKey key(String peer) {
    return new SellerKey(peer, "k", Instant.EPOCH, Instant.now().plusSeconds(3600), "fake");
  }

  private void add(int n, Offering o, double health, LoadReport load) {
    index.put(SellerListing.of(id(n), "e" + n, List.of(o), key(id(n)), health, load));
  }

  private static SelectionQuery q(String service) {
    return new SelectionQuery(service, Capability.CAPABILITY_UNSPECIFIED, 0, 0, 0.0);
  }

  @Test
  void cheaperSellersRankFirstWhenAllElseIsEqual() {
    add(1, FakeSeller.offering("a", "m", 300, 300), 1.0, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    add(3, FakeSeller.offering("c", "m", 200, 200), 1.0, LoadReport.getDefaultInstance());
    List<Candidate> c = selector.rank(q("m"));
    assertEquals(List.of(id(2), id(3), id(1)), c.stream().map(Candidate::peerId).toList());
    assertEquals(0.4 + 0.3 + 0.3, c.get(0).score(), 1e-9);
  }

  @Test
  void observedLatencyCanOutweighASmallPriceDifference() {
    add(1, FakeSeller.offering("a", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 110, 110), 1.0, LoadReport.getDefaultInstance());
    latency.record(id(1), 900);
    latency.record(id(2), 5);
    assertEquals(id(2), selector.rank(q("m")).get(0).peerId());
  }

  @Test
  void unhealthyAndLoadedSellersRankLower() {
    add(1, FakeSeller.offering("a", "m", 100, 100), 0.2, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    add(3, FakeSeller.offering("c", "m", 100, 100), 1.0, LoadReport.newBuilder().setCapacity(4).setInFlight(4).build());
    List<String> order = selector.rank(q("m")).stream().map(Candidate::peerId).toList();
    assertEquals(List.of(id(2), id(3), id(1)), order);
  }

  @Test
  void ownInFlightCountsAsLoad() {
    add(1, FakeSeller.offering("a", "m", 100, 100), 1.0, LoadReport.newBuilder().setCapacity(2).build());
    add(2, FakeSeller.offering("b", "m", 100, 100), 1.0, LoadReport.newBuilder().setCapacity(2).build());
    inFlight.increment(id(1));
    inFlight.increment(id(1));
    assertEquals(id(2), selector.rank(q("m")).get(0).peerId());
  }

  @Test
  void filtersServiceCapabilityCeilingsHealthAndOpenBreakers() {
    Offering agent = FakeSeller.offering("a", "m", 100, 100).toBuilder().setCapability(Capability.CAPABILITY_AGENT).build();
    add(1, agent, 1.0, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 500, 100), 1.0, LoadReport.getDefaultInstance());
    add(3, FakeSeller.offering("c", "other", 1, 1), 1.0, LoadReport.getDefaultInstance());
    add(4, FakeSeller.offering("d", "m", 100, 100), 0.05, LoadReport.getDefaultInstance());
    add(5, FakeSeller.offering("e", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    breakers.forPeer(id(5)).onFailure();
    SelectionQuery inference = new SelectionQuery("m", Capability.CAPABILITY_INFERENCE, 200, 0, 0.1);
    assertEquals(List.of(), selector.rank(inference).stream().map(Candidate::peerId).toList());
    SelectionQuery any = new SelectionQuery("m", Capability.CAPABILITY_UNSPECIFIED, 0, 0, 0.0);
    assertEquals(3, selector.rank(any).size());
    SelectionQuery agents = new SelectionQuery("m", Capability.CAPABILITY_AGENT, 200, 200, 0.5);
    assertEquals(List.of(id(1)), selector.rank(agents).stream().map(Candidate::peerId).toList());
  }

  @Test
  void theCheapestMatchingOfferingOfASellerIsUsed() {
    index.put(
        SellerListing.of(
            id(9), "e9",
            List.of(FakeSeller.offering("big", "m", 900, 900), FakeSeller.offering("small", "m", 10, 10)),
            key(id(9)), 1.0, LoadReport.getDefaultInstance()));
    assertEquals("small", selector.rank(q("m")).get(0).offering().getOfferingId());
  }

  @Test
  void pinnedPeerBypassesRankingButNotServiceOrCeilings() throws Exception {
    add(1, FakeSeller.offering("a", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 900, 900), 0.1, LoadReport.getDefaultInstance());
    assertEquals(id(2), selector.pinned(id(2), q("m")).peerId());
    BuyerException unknown = assertThrows(BuyerException.class, () -> selector.pinned(id(7), q("m")));
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, unknown.code());
    BuyerException service = assertThrows(BuyerException.class, () -> selector.pinned(id(2), q("x")));
    assertTrue(service.getMessage().contains("does not offer"));
    BuyerException ceiling =
        assertThrows(BuyerException.class, () -> selector.pinned(id(2), new SelectionQuery("m", Capability.CAPABILITY_UNSPECIFIED, 500, 0, 0)));
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, ceiling.code());
    breakers.forPeer(id(2)).onFailure();
    assertThrows(BuyerException.class, () -> selector.pinned(id(2), q("m")));
  }

  @Test
  void halfOpenSellersAreTriedLast() {
    add(1, FakeSeller.offering("a", "m", 100, 100), 1.0, LoadReport.getDefaultInstance());
    add(2, FakeSeller.offering("b", "m", 200, 200), 1.0, LoadReport.getDefaultInstance());
    breakers.forPeer(id(1)).onFailure();
    assertEquals(List.of(id(2)), selector.rank(q("m")).stream().map(Candidate::peerId).toList());
    nanos.addAndGet(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1000));
    assertEquals(List.of(id(2), id(1)), selector.rank(q("m")).stream().map(Candidate::peerId).toList());
  }

  @Test
  void ewmaFollowsTheFormula() {
    LatencyTracker t = new LatencyTracker(0.2);
    t.record("p", 100);
    t.record("p", 200);
    assertEquals(120.0, t.ewmaMs("p").getAsDouble(), 1e-9);
  }
}
