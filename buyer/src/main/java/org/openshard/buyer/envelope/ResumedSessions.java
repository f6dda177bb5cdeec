package org.openshard.buyer.envelope;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.payments.receipts.Receipts;
import org.openshard.crypto.envelope.SealedResumedRequest;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SessionTicket;

/**
 * The buyer's resumable sessions, one per seller (docs/protocol.md section 5a). After an envelope
 * the seller may offer a ticket; the next requests to that seller are then sent as resumed
 * requests, numbered 1, 2, ... from one counter, until the session reaches the smaller of the
 * seller's and this buyer's limits (request count and age), and then a fresh envelope (new
 * ephemeral key, new nullifier) starts a new session. Each session takes a random 75–100 % of this
 * buyer's limits, so sessions opened together do not all renew together.
 *
 * <p>Privacy: requests in one session are linkable to each other by the seller (never to the
 * wallet). {@code maxRequests} and {@code maxAge} bound that; {@code maxRequests = 0} disables
 * resumption, so every request carries its own envelope and nullifier. Thread-safe.
 */
public final class ResumedSessions {
  /** A session is not used when less than this is left before the seller forgets it. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

  private final int maxRequests;
  private final Duration maxAge;
  private final Clock clock;
  private final java.util.function.DoubleSupplier jitter;
  private final Map<String, Session> byPeer = new ConcurrentHashMap<>();

  /**
   * @param maxRequests resumed requests per session at most (0 disables resumption)
   * @param maxAge how long after its envelope a session may be resumed
   */
  public ResumedSessions(int maxRequests, Duration maxAge, Clock clock) {
    this(maxRequests, maxAge, clock, () -> SecureRandoms.get().nextDouble());
  }

  /** With {@code jitter} (values in [0, 1)) choosing how much of a quarter of each limit a session gives up. */
  ResumedSessions(int maxRequests, Duration maxAge, Clock clock, java.util.function.DoubleSupplier jitter) {
    if (maxRequests < 0) {
      throw new IllegalArgumentException("session max requests must be ≥ 0");
    }
    this.maxRequests = maxRequests;
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
  }

  /** No resumption: every request gets an envelope. */
  public static ResumedSessions disabled() {
    return new ResumedSessions(0, Duration.ZERO, Clock.systemUTC());
  }

  public boolean enabled() {
    return maxRequests > 0;
  }

  /**
   * Keeps the session of an envelope the seller accepted with {@code ticket}. Replaces (and
   * erases) the peer's previous session.
   */
  public void keep(String peerId, SessionTicket ticket, SessionResumption resumption, String nullifierHashHex) {
    if (!enabled() || ticket.getTicket().size() != SessionResumption.TICKET_BYTES || ticket.getMaxRequests() < 1) {
      resumption.erase();
      return;
    }
    long expires = Math.min(ticket.getExpiresAtMs(), clock.millis() + jittered(maxAge.toMillis()));
    long limit = Math.min(ticket.getMaxRequests(), Math.max(1, jittered(maxRequests)));
    Session s = new Session(ticket.getTicket().toByteArray(), resumption, nullifierHashHex, limit, expires);
    Session old = byPeer.put(peerId, s);
    if (old != null) {
      old.resumption.erase();
    }
  }

  /**
   * Seals {@code query} as the next request of the peer's session, if it has a usable one.
   *
   * @throws BuyerException INVALID_QUERY if the query is too large
   */
  public Optional<PreparedRequest> prepare(String peerId, SealedQuery query) throws BuyerException {
    Session s = byPeer.get(peerId);
    if (s == null) {
      return Optional.empty();
    }
    long n = s.next.getAndIncrement();
    if (n > s.limit || clock.millis() > s.expiresAtMs - EXPIRY_MARGIN.toMillis()) {
      forget(peerId, s);
      return Optional.empty();
    }
    SealedResumedRequest sealed;
    try {
      sealed = s.resumption.seal(s.ticket, n, query);
    } catch (CryptoException e) {
      if (e.reason() == CryptoException.Reason.UNKNOWN_KEY) {
        return Optional.empty(); // erased under us: replaced or forgotten
      }
      throw CryptoErrors.toBuyer(e);
    }
    return Optional.of(new Resumed(sealed, s));
  }

  /** Drops the peer's session if it is the one {@code request} used (e.g. the seller did not know it). */
  public void forget(String peerId, PreparedRequest request) {
    if (request instanceof Resumed) {
      forget(peerId, ((Resumed) request).session);
    }
  }

  /** Forgets every session (e.g. at shutdown) and erases the secrets. */
  public void clear() {
    byPeer.forEach((peer, s) -> forget(peer, s));
  }

  /**
   * {@code max} less a random part of up to a quarter of it: sessions opened together (a buyer's
   * first requests, or requests spread evenly over sellers) would otherwise all run out together
   * and renew in one burst of ring proofs; never above {@code max}, so the linkability bound holds.
   */
  long jittered(long max) {
    return max - (long) (jitter.getAsDouble() * (max / 4.0));
  }

  /** Sessions held now. */
  public int size() {
    return byPeer.size();
  }

  private void forget(String peerId, Session s) {
    if (byPeer.remove(peerId, s)) {
      s.resumption.erase();
    }
  }

  private static final class Session {
    final byte[] ticket;
    final SessionResumption resumption;
    final String nullifierHashHex;
    final long limit;
    final long expiresAtMs;
    final AtomicLong next = new AtomicLong(1);

    Session(byte[] ticket, SessionResumption resumption, String nullifierHashHex, long limit, long expiresAtMs) {
      this.ticket = ticket;
      this.resumption = resumption;
      this.nullifierHashHex = nullifierHashHex;
      this.limit = limit;
      this.expiresAtMs = expiresAtMs;
    }
  }

  private static final class Resumed implements PreparedRequest {
    private final SealedResumedRequest sealed;
    private final Session session;

    Resumed(SealedResumedRequest sealed, Session session) {
      this.sealed = sealed;
      this.session = session;
    }

    @Override
    public void writeTo(BuyerFrame.Builder first) {
      first.setResume(sealed.toProto());
    }

    @Override
    public String nullifierHashHex() {
      return session.nullifierHashHex;
    }

    @Override
    public byte[] requestHash() {
      return Receipts.requestHash(sealed.toProto()).toByteArray();
    }

    @Override
    public boolean resumed() {
      return true;
    }

    @Override
    public ResponseOpener responseOpener() throws BuyerException {
      try {
        return SealingEnvelopeFactory.wrap(sealed.session().responseOpener());
      } catch (CryptoException e) {
        throw CryptoErrors.toBuyer(e);
      }
    }
  }
}
