package org.openshard.seller.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openshard.testing.MutableClock;
import org.openshard.testing.TestSessions;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SessionTicket;

/** Capacity, expiry sweeps and erasure of the seller's session table. */
class SessionTableTest {
  private static final SealedQuery QUERY = SealedQuery.newBuilder().setServiceId("m").setOpenaiRequestJson("{}").build();
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);

  private static SessionResumption resumption() throws CryptoException {
    return TestSessions.freshResumption(QUERY);
  }

  @Test
  void aFullTableOffersNoTicketUntilExpiredSessionsAreSwept() throws Exception {
    SessionTable t = SessionTable.builder().capacity(2).ttl(Duration.ofSeconds(10)).maxRequests(5).clock(clock).build();
    SessionTicket a = t.keep(resumption(), ByteString.EMPTY);
    assertNotNull(a);
    assertEquals(16, a.getTicket().size());
    assertEquals(clock.millis() + 10_000, a.getExpiresAtMs());
    assertEquals(5, a.getMaxRequests());
    assertNotNull(t.keep(resumption(), ByteString.EMPTY));
    SessionResumption refused = resumption();
    assertNull(t.keep(refused, ByteString.EMPTY), "full: no ticket");
    assertThrows(CryptoException.class, () -> refused.seal(new byte[16], 1, QUERY), "the refused session's secret is erased");
    clock.advanceMillis(10_000);
    assertNotNull(t.keep(resumption(), ByteString.EMPTY), "the expired two were swept to make room");
    assertEquals(1, t.size());
  }

  @Test
  void sweepAndCloseEraseTheSecrets() throws Exception {
    SessionTable t = SessionTable.builder().ttl(Duration.ofSeconds(1)).clock(clock).build();
    SessionResumption old = resumption();
    t.keep(old, ByteString.EMPTY);
    clock.advanceMillis(500);
    SessionResumption live = resumption();
    t.keep(live, ByteString.EMPTY);
    clock.advanceMillis(600);
    t.sweep();
    assertEquals(1, t.size());
    assertEquals(CryptoException.Reason.UNKNOWN_KEY, assertThrows(CryptoException.class, () -> old.seal(new byte[16], 1, QUERY)).reason());
    assertNotNull(live.seal(new byte[16], 1, QUERY), "the live session keeps its secret");
    t.close();
    assertEquals(0, t.size());
    CryptoException e = assertThrows(CryptoException.class, () -> live.seal(new byte[16], 1, QUERY));
    assertEquals(CryptoException.Reason.UNKNOWN_KEY, e.reason());
  }

  @Test
  void limitsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> SessionTable.builder().maxRequests(0));
    assertThrows(IllegalArgumentException.class, () -> SessionTable.builder().maxRequests(SessionTable.MAX_REQUESTS_LIMIT + 1));
    assertThrows(IllegalArgumentException.class, () -> SessionTable.builder().ttl(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> SessionTable.builder().capacity(0));
  }
}
