package org.openshard.seller.session;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.envelope.OpenedResumedRequest;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.SessionTicket;
import org.openshard.seller.envelope.EnvelopeErrors;
import org.openshard.seller.envelope.OpenerDecryptor;
import org.openshard.seller.pipeline.OpenedQuery;
import org.openshard.seller.pipeline.SessionStore;
import org.openshard.seller.pipeline.StageException;

/**
 * The seller's resumable sessions, in memory (docs/protocol.md section 5a). A session lives until
 * its ticket expires ({@code ttl} after the envelope) or its {@code maxRequests} numbers are used,
 * whichever comes first; then its secret is erased. Sessions are deliberately not shared between
 * replicas or kept across restarts: a buyer whose ticket is unknown sends a full envelope (RES-9).
 * At most {@code capacity} sessions are kept; past that, envelopes are served without a ticket.
 * Thread-safe.
 */
public final class SessionTable implements SessionStore, AutoCloseable {
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_REQUESTS = 4096;
  public static final int DEFAULT_CAPACITY = 65_536;
  /** Largest request budget one session may have (its replay bitmap is maxRequests bits). */
  public static final int MAX_REQUESTS_LIMIT = 1 << 20;

  private final Map<ByteString, Entry> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration ttl;
  private final int maxRequests;
  private final int capacity;

  private SessionTable(Builder b) {
    this.clock = b.clock;
    this.ttl = b.ttl;
    this.maxRequests = b.maxRequests;
    this.capacity = b.capacity;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SessionTicket keep(SessionResumption resumption, ByteString nullifierHash) {
    Objects.requireNonNull(resumption, "resumption");
    if (sessions.size() >= capacity) {
      sweep(); // expired sessions also go on the owner's periodic sweep and on lookup
    }
    if (sessions.size() >= capacity) {
      resumption.erase();
      return null;
    }
    ByteString ticket = ByteString.copyFrom(SecureRandoms.bytes(SessionResumption.TICKET_BYTES));
    long expires = clock.millis() + ttl.toMillis();
    sessions.put(ticket, new Entry(resumption, nullifierHash, expires));
    return SessionTicket.newBuilder().setTicket(ticket).setExpiresAtMs(expires).setMaxRequests(maxRequests).build();
  }

  @Override
  public Admitted admit(ResumedRequest request) throws StageException {
    if (request.getTicket().size() != SessionResumption.TICKET_BYTES) {
      throw StageException.of(
          ErrorCode.INVALID_ARGUMENT, "resume.ticket", "the ticket must be " + SessionResumption.TICKET_BYTES + " bytes");
    }
    Entry e = sessions.get(request.getTicket());
    if (e == null) {
      throw unknown("the seller holds no session with this ticket (expired, used up or the seller restarted)");
    }
    if (e.expiresAtMs <= clock.millis()) {
      drop(request.getTicket(), e);
      throw unknown("the session expired");
    }
    long n = request.getRequestNumber();
    if (n < 1 || n > maxRequests) {
      throw unknown("request number " + Long.toUnsignedString(n) + " is outside the session's 1.." + maxRequests);
    }
    OpenedResumedRequest opened;
    try {
      opened = e.resumption.open(request);
    } catch (CryptoException ex) {
      throw toStage(ex);
    }
    if (e.claim((int) n, maxRequests)) {
      drop(request.getTicket(), e);
    }
    OpenedQuery q;
    try {
      q = new OpenedQuery(opened.query(), OpenerDecryptor.sealerOf(opened.session().responseSealer()));
    } catch (CryptoException ex) {
      throw EnvelopeErrors.toStage(ex);
    }
    return new Admitted(q, e.nullifierHash);
  }

  /** Forgets expired sessions and erases their secrets. */
  public void sweep() {
    long now = clock.millis();
    sessions.forEach(
        (ticket, e) -> {
          if (e.expiresAtMs <= now) {
            drop(ticket, e);
          }
        });
  }

  /** Sessions held now. */
  public int size() {
    return sessions.size();
  }

  /** Forgets every session and erases the secrets. */
  @Override
  public void close() {
    sessions.forEach(this::drop);
  }

  private void drop(ByteString ticket, Entry e) {
    if (sessions.remove(ticket, e)) {
      e.resumption.erase();
    }
  }

  private static StageException unknown(String message) {
    return StageException.of(ErrorCode.SESSION_UNKNOWN, "resume.ticket", message + "; send a new envelope");
  }

  private static StageException toStage(CryptoException e) {
    switch (e.reason()) {
      case UNKNOWN_KEY:
        return unknown("the session ended");
      case INVALID_ENCODING:
        if (EnvelopeErrors.isUnparsableQuery(e)) {
          return EnvelopeErrors.unparsableQuery("resume.encrypted_query");
        }
        return StageException.of(ErrorCode.INVALID_ARGUMENT, "resume", e.getMessage());
      case DECRYPTION_FAILED:
        return StageException.of(ErrorCode.DECRYPTION_FAILED, "resume.encrypted_query", "the resumed query failed authentication");
      default:
        return EnvelopeErrors.toStage(e);
    }
  }

  /** One kept session. */
  private static final class Entry {
    final SessionResumption resumption;
    final ByteString nullifierHash;
    final long expiresAtMs;
    private final BitSet used = new BitSet(); // guarded by this
    private int count; // guarded by this

    Entry(SessionResumption resumption, ByteString nullifierHash, long expiresAtMs) {
      this.resumption = resumption;
      this.nullifierHash = nullifierHash;
      this.expiresAtMs = expiresAtMs;
    }

    /**
     * Claims request number {@code n} (RES-8); true if that used the session's {@code maxRequests} up.
     *
     * @throws StageException SESSION_REQUEST_REPLAYED if it was claimed before
     */
    synchronized boolean claim(int n, int maxRequests) throws StageException {
      if (used.get(n)) {
        throw StageException.of(
            ErrorCode.SESSION_REQUEST_REPLAYED, "resume.request_number", "request number " + n + " was already used in this session");
      }
      used.set(n);
      return ++count >= maxRequests;
    }
  }

  /** Builder for {@link SessionTable}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration ttl = DEFAULT_TTL;
    private int maxRequests = DEFAULT_MAX_REQUESTS;
    private int capacity = DEFAULT_CAPACITY;

    private Builder() {}

    /** How long a session may be resumed after its envelope. Default 5 min. */
    public Builder ttl(Duration v) {
      if (v == null || v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("session ttl must be positive");
      }
      this.ttl = v;
      return this;
    }

    /** Requests one session may carry after its envelope. Default 4,096. */
    public Builder maxRequests(int v) {
      if (v < 1 || v > MAX_REQUESTS_LIMIT) {
        throw new IllegalArgumentException("session max requests must be 1.." + MAX_REQUESTS_LIMIT);
      }
      this.maxRequests = v;
      return this;
    }

    /** Sessions kept at once. Default 65,536. */
    public Builder capacity(int v) {
      if (v < 1) {
        throw new IllegalArgumentException("session capacity must be positive");
      }
      this.capacity = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    public SessionTable build() {
      return new SessionTable(this);
    }
  }
}
