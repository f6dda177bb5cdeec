package org.openshard.buyer.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.openshard.testing.MutableClock;
import org.openshard.testing.TestSessions;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SessionTicket;

/** The buyer's session table: numbering, the buyer's and the seller's limits, replacement. */
class ResumedSessionsTest {
  private static final SealedQuery QUERY = SealedQuery.newBuilder().setServiceId("m").setOpenaiRequestJson("{}").build();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z").toEpochMilli());

  private static SessionResumption resumption() throws CryptoException {
    return TestSessions.freshResumption(QUERY);
  }

  private SessionTicket ticket(long expiresInMs, int max) {
    return SessionTicket.newBuilder()
        .setTicket(ByteString.copyFrom(SecureRandoms.bytes(16)))
        .setExpiresAtMs(clock.millis() + expiresInMs)
        .setMaxRequests(max)
        .build();
  }

  private static long numberOf(PreparedRequest p) {
    BuyerFrame.Builder f = BuyerFrame.newBuilder();
    p.writeTo(f);
    return f.getResume().getRequestNumber();
  }

  @Test
  void requestsAreNumberedFromOneUpToTheSmallerLimit() throws Exception {
    ResumedSessions sessions = new ResumedSessions(3, Duration.ofMinutes(1), clock, () -> 0);
    sessions.keep("peer", ticket(300_000, 100), resumption(), "aa");
    for (long n = 1; n <= 3; n++) {
      PreparedRequest p = sessions.prepare("peer", QUERY).orElseThrow();
      assertTrue(p.resumed());
      assertEquals(n, numberOf(p));
      assertEquals("aa", p.nullifierHashHex());
    }
    assertTrue(sessions.prepare("peer", QUERY).isEmpty(), "the buyer's limit of 3 is reached");
    assertEquals(0, sessions.size());

    sessions.keep("peer", ticket(300_000, 1), resumption(), "bb");
    assertEquals(1, numberOf(sessions.prepare("peer", QUERY).orElseThrow()));
    assertTrue(sessions.prepare("peer", QUERY).isEmpty(), "the seller's limit of 1 is reached");
    assertTrue(sessions.prepare("other", QUERY).isEmpty(), "no session with another peer");
  }

  @Test
  void sessionsAreNotUsedNearTheSellersExpiryOrPastTheBuyersMaximumAge() throws Exception {
    ResumedSessions sessions = new ResumedSessions(100, Duration.ofSeconds(30), clock, () -> 0);
    sessions.keep("peer", ticket(60_000, 100), resumption(), "aa");
    clock.advanceMillis(24_000);
    assertTrue(sessions.prepare("peer", QUERY).isPresent());
    clock.advanceMillis(2_000); // 26 s: less than the 5 s margin left of the buyer's 30 s
    assertTrue(sessions.prepare("peer", QUERY).isEmpty());

    sessions.keep("peer", ticket(6_000, 100), resumption(), "bb");
    assertTrue(sessions.prepare("peer", QUERY).isPresent());
    clock.advanceMillis(1_500); // 4.5 s left of the seller's ticket
    assertTrue(sessions.prepare("peer", QUERY).isEmpty());
  }

  @Test
  void eachSessionGivesUpARandomPartOfAQuarterOfTheBuyersLimitsNeverMore() throws Exception {
    // The most it gives up (jitter just under 1): 100 requests become 76, 40 s becomes 30.001 s.
    ResumedSessions shortest = new ResumedSessions(100, Duration.ofSeconds(40), clock, () -> 0.999999);
    shortest.keep("peer", ticket(300_000, 1_000), resumption(), "aa");
    for (long n = 1; n <= 76; n++) {
      assertEquals(n, numberOf(shortest.prepare("peer", QUERY).orElseThrow()));
    }
    assertTrue(shortest.prepare("peer", QUERY).isEmpty(), "76 = 100 less just under a quarter");
    shortest.keep("peer", ticket(300_000, 1_000), resumption(), "bb");
    clock.advanceMillis(24_000);
    assertTrue(shortest.prepare("peer", QUERY).isPresent());
    clock.advanceMillis(1_500); // 25.5 s: less than the 5 s margin left of 30.001 s
    assertTrue(shortest.prepare("peer", QUERY).isEmpty());

    // With the real source, sessions opened together end at different points, all within 75–100.
    ResumedSessions real = new ResumedSessions(400, Duration.ofMinutes(10), clock);
    java.util.Set<Long> limits = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      real.keep("p" + i, ticket(3_600_000, 10_000), resumption(), "cc");
      long used = 0;
      while (real.prepare("p" + i, QUERY).isPresent()) {
        used++;
      }
      assertTrue(used > 300 && used <= 400, "limit " + used);
      limits.add(used);
    }
    assertTrue(limits.size() > 1, "20 sessions did not all get the same limit: " + limits);
  }

  @Test
  void disabledKeepsNothingAndErasesTheSecret() throws Exception {
    ResumedSessions off = new ResumedSessions(0, Duration.ofMinutes(1), clock);
    assertFalse(off.enabled());
    SessionResumption r = resumption();
    off.keep("peer", ticket(300_000, 100), r, "aa");
    assertEquals(0, off.size());
    CryptoException e = assertThrows(CryptoException.class, () -> r.seal(new byte[16], 1, QUERY));
    assertEquals(CryptoException.Reason.UNKNOWN_KEY, e.reason());
  }

  @Test
  void aNewSessionReplacesAndErasesTheOldAndForgetOnlyDropsTheSessionUsed() throws Exception {
    ResumedSessions sessions = new ResumedSessions(100, Duration.ofMinutes(1), clock);
    SessionResumption first = resumption();
    sessions.keep("peer", ticket(300_000, 100), first, "aa");
    PreparedRequest fromFirst = sessions.prepare("peer", QUERY).orElseThrow();
    sessions.keep("peer", ticket(300_000, 100), resumption(), "bb");
    assertThrows(CryptoException.class, () -> first.seal(new byte[16], 9, QUERY), "the replaced secret is erased");
    sessions.forget("peer", fromFirst);
    assertEquals(1, sessions.size(), "a stale request does not drop the newer session");
    PreparedRequest fromSecond = sessions.prepare("peer", QUERY).orElseThrow();
    assertEquals("bb", fromSecond.nullifierHashHex());
    sessions.forget("peer", fromSecond);
    assertEquals(0, sessions.size());
  }
}
