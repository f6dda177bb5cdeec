package org.openshard.registry.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.RegistryException;
import org.openshard.registry.TestSeller;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.store.Liveness;
import org.openshard.registry.store.PeerRecord;

class RankerTest {
  private static final long INTERVAL = 10_000;
  private static final long WINDOW = 30_000;
  private static final long NOW = System.currentTimeMillis();
  private final Ranker ranker = new Ranker(INTERVAL, WINDOW);

  private static LivePeer peer(SellerRegistration.Builder reg, TestSeller s, LoadReport load) {
    try {
      return new LivePeer(PeerRecord.decode(s.sign(reg)), new Liveness(load, NOW, NOW + WINDOW));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static LivePeer peer(long in, long out, LoadReport load) {
    TestSeller s = new TestSeller();
    return peer(s.registration().clearOfferings().addOfferings(TestSeller.offering("o", in, out, "m")), s, load);
  }

  private DiscoverResponse rank(List<LivePeer> peers, DiscoverRequest.Builder r) throws RegistryException {
    return ranker.rank(peers, DiscoverQuery.of(r.build(), NOW), NOW);
  }

  private static List<String> ids(DiscoverResponse r) {
    return r.getPeersList().stream().map(l -> l.getRegistration().getPeerId()).collect(Collectors.toList());
  }

  @Test
  void cheaperHealthierLessLoadedFasterRanksFirst() throws Exception {
    LoadReport idle = LoadReport.newBuilder().setCapacity(10).setLatencyP50Ms(100).build();
    LivePeer cheap = peer(100, 100, idle);
    LivePeer pricey = peer(5_000_000, 5_000_000, idle);
    LivePeer busy = peer(100, 100, LoadReport.newBuilder().setCapacity(10).setInFlight(10).setLatencyP50Ms(100).build());
    LivePeer slow = peer(100, 100, LoadReport.newBuilder().setCapacity(10).setLatencyP50Ms(5_000).build());
    LivePeer failing =
        peer(100, 100, LoadReport.newBuilder().setCapacity(10).setLatencyP50Ms(100).setErrorRate(0.9).setRecentRequests(100).build());
    DiscoverResponse r = rank(List.of(failing, slow, busy, pricey, cheap), DiscoverRequest.newBuilder().setServiceId("m"));
    assertEquals(cheap.peerId(), ids(r).get(0));
    assertEquals(5, r.getTotalMatches());
    for (int i = 1; i < r.getPeersCount(); i++) {
      assertTrue(r.getPeers(i - 1).getScore() >= r.getPeers(i).getScore());
    }
    PeerListing top = r.getPeers(0);
    double expected =
        Scorer.W_PRICE * (1e6 / (1e6 + 200)) + Scorer.W_HEALTH * 1.0 + Scorer.W_LOAD * 1.0 + Scorer.W_LATENCY * (500.0 / 600.0);
    assertEquals(expected, top.getScore(), 1e-12);
    assertEquals(1.0, top.getHealth());
    assertEquals(NOW, top.getLastHeartbeatMs());
    assertEquals(cheap.record().signed(), top.getSignedRegistration());
  }

  @Test
  void tiesBreakByPeerIdAscending() throws Exception {
    List<LivePeer> peers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      peers.add(peer(1000, 1000, LoadReport.getDefaultInstance()));
    }
    List<String> got = ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m")));
    List<String> sorted = peers.stream().map(LivePeer::peerId).sorted().collect(Collectors.toList());
    assertEquals(sorted, got);
    // Input order does not matter.
    java.util.Collections.reverse(peers);
    assertEquals(sorted, ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m"))));
  }

  @Test
  void pagingIsDeterministicAndComplete() throws Exception {
    List<LivePeer> peers = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Three price levels, so there are ties inside each level.
      peers.add(peer(1000L * (i % 3), 0, LoadReport.getDefaultInstance()));
    }
    List<String> all = ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setLimit(500)));
    assertEquals(23, all.size());
    List<String> paged = new ArrayList<>();
    DiscoverRequest.Builder req = DiscoverRequest.newBuilder().setServiceId("m").setLimit(5);
    int pages = 0;
    while (true) {
      DiscoverResponse page = rank(peers, req);
      pages++;
      assertEquals(23, page.getTotalMatches());
      assertTrue(page.getPeersCount() <= 5);
      paged.addAll(ids(page));
      if (page.getNextPageToken().isEmpty()) {
        break;
      }
      req.setPageToken(page.getNextPageToken());
    }
    assertEquals(5, pages);
    assertEquals(all, paged);
    assertEquals(23, new HashSet<>(paged).size());
  }

  @Test
  void exactlyFullLastPageHasNoToken() throws Exception {
    List<LivePeer> peers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      peers.add(peer(i, 0, LoadReport.getDefaultInstance()));
    }
    DiscoverResponse first = rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setLimit(2));
    assertFalse(first.getNextPageToken().isEmpty());
    DiscoverResponse second =
        rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setLimit(2).setPageToken(first.getNextPageToken()));
    assertEquals(2, second.getPeersCount());
    assertTrue(second.getNextPageToken().isEmpty());
  }

  @Test
  void filtersOnCapabilityPriceAndHealth() throws Exception {
    TestSeller s = new TestSeller();
    Offering agent = TestSeller.offering("agent", 10, 10, "m").toBuilder().setCapability(Capability.CAPABILITY_AGENT).build();
    Offering inference = TestSeller.offering("inf", 5_000, 9_000, "m");
    Offering cheaperOther = TestSeller.offering("other", 1, 1, "n");
    LivePeer multi =
        peer(s.registration().clearOfferings().addOfferings(agent).addOfferings(inference).addOfferings(cheaperOther), s,
            LoadReport.getDefaultInstance());
    LivePeer sick = peer(1, 1, LoadReport.newBuilder().setErrorRate(1).setRecentRequests(100).build());
    List<LivePeer> peers = List.of(multi, sick);

    assertEquals(2, rank(peers, DiscoverRequest.newBuilder().setServiceId("m")).getTotalMatches());
    assertEquals(
        List.of(multi.peerId()),
        ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setCapability(Capability.CAPABILITY_AGENT))));
    DiscoverResponse inf =
        rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setCapability(Capability.CAPABILITY_INFERENCE));
    assertEquals(2, inf.getTotalMatches());
    // The multi-offering peer is priced by its matching offering (inference), not the agent one.
    PeerListing multiListing =
        inf.getPeersList().stream().filter(l -> l.getRegistration().getPeerId().equals(multi.peerId())).findFirst().orElseThrow();
    assertEquals(Scorer.W_PRICE * (1e6 / (1e6 + 14_000)) + Scorer.W_HEALTH + Scorer.W_LOAD * 0.5 + Scorer.W_LATENCY * 0.5,
        multiListing.getScore(), 1e-12);
    assertEquals(
        List.of(sick.peerId()),
        ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setCapability(Capability.CAPABILITY_INFERENCE).setMaxInputPrice(4_999))));
    assertEquals(
        List.of(sick.peerId()),
        ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setCapability(Capability.CAPABILITY_INFERENCE).setMaxOutputPrice(8_999))));
    // Price ceilings pick the agent offering when it fits.
    assertEquals(2, rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setMaxInputPrice(10).setMaxOutputPrice(10)).getTotalMatches());
    assertEquals(List.of(multi.peerId()), ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setMinHealth(0.5))));
    assertEquals(0, rank(peers, DiscoverRequest.newBuilder().setServiceId("absent")).getTotalMatches());
    assertEquals(List.of(multi.peerId()), ids(rank(peers, DiscoverRequest.newBuilder().setServiceId("n"))));
  }

  @Test
  void expiredLivenessAndExpiredKeysAreNotListed() throws Exception {
    TestSeller s = new TestSeller();
    LivePeer live = peer(1, 1, LoadReport.getDefaultInstance());
    LivePeer dead =
        new LivePeer(PeerRecord.decode(s.signedRegistration("m")), new Liveness(LoadReport.getDefaultInstance(), NOW - WINDOW - 1, NOW - 1));
    LivePeer oldKey = new LivePeer(new PeerRecord(live.record().signed(), live.record().registration(), NOW / 1000 - 1), live.liveness());
    assertEquals(List.of(live.peerId()), ids(rank(List.of(live, dead, oldKey), DiscoverRequest.newBuilder().setServiceId("m"))));
  }

  @Test
  void queryValidation() {
    assertCode(DiscoverRequest.newBuilder(), ErrorCode.INVALID_ARGUMENT, "service_id");
    assertCode(DiscoverRequest.newBuilder().setServiceId("bad id"), ErrorCode.INVALID_ARGUMENT, "service_id");
    assertCode(DiscoverRequest.newBuilder().setServiceId("m").setMinHealth(Double.NaN), ErrorCode.INVALID_ARGUMENT, "min_health");
    assertCode(DiscoverRequest.newBuilder().setServiceId("m").setMinHealth(1.5), ErrorCode.INVALID_ARGUMENT, "min_health");
    assertCode(DiscoverRequest.newBuilder().setServiceId("m").setCapabilityValue(42), ErrorCode.INVALID_ARGUMENT, "capability");
    assertCode(DiscoverRequest.newBuilder().setServiceId("m").setPageToken("garbage"), ErrorCode.INVALID_ARGUMENT, "page_token");
  }

  @Test
  void tokenIsBoundToItsFilters() throws Exception {
    List<LivePeer> peers = List.of(peer(1, 1, LoadReport.getDefaultInstance()), peer(2, 2, LoadReport.getDefaultInstance()));
    String token = rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setLimit(1)).getNextPageToken();
    assertFalse(token.isEmpty());
    assertCode(DiscoverRequest.newBuilder().setServiceId("m").setMaxInputPrice(5).setPageToken(token), ErrorCode.INVALID_ARGUMENT, "page_token");
    // The page size may change between pages.
    assertEquals(1, rank(peers, DiscoverRequest.newBuilder().setServiceId("m").setLimit(10).setPageToken(token)).getPeersCount());
  }

  @Test
  void limitDefaultsAndClamps() throws Exception {
    assertEquals(50, DiscoverQuery.of(DiscoverRequest.newBuilder().setServiceId("m").build(), NOW).limit());
    assertEquals(500, DiscoverQuery.of(DiscoverRequest.newBuilder().setServiceId("m").setLimit(100_000).build(), NOW).limit());
    assertEquals(500, DiscoverQuery.of(DiscoverRequest.newBuilder().setServiceId("m").setLimit(-1).build(), NOW).limit());
    assertEquals(7, DiscoverQuery.of(DiscoverRequest.newBuilder().setServiceId("m").setLimit(7).build(), NOW).limit());
  }

  private static void assertCode(DiscoverRequest.Builder r, ErrorCode code, String field) {
    RegistryException e = assertThrows(RegistryException.class, () -> DiscoverQuery.of(r.build(), NOW));
    assertEquals(code, e.errorCode());
    assertEquals(field, e.field());
  }
}
