package org.openshard.crypto.envelope;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Hkdf;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.SealedQuery;

/**
 * The resumption secret of one opened session (docs/protocol.md section 5a, RES-1): lets the buyer
 * send more requests to the same seller without a new envelope, proof or key agreement, and the
 * seller open them. Each request {@code n} gets its own keys (RES-4..RES-7), so nothing is shared
 * between requests but the secret. Request numbers must be used once each: the buyer hands them
 * out from a counter, the seller rejects repeats (RES-8).
 *
 * <p>Obtained from {@link BuyerSession#resumption()} or {@link SellerSession#resumption()}.
 * Thread-safe until {@link #erase()}.
 */
public final class SessionResumption {
  /** Length of a session ticket, chosen by the seller (RES-2). */
  public static final int TICKET_BYTES = 16;

  private final byte[] secret;
  private final byte[] sellerIdUtf8;
  private volatile boolean erased;

  SessionResumption(byte[] secret, byte[] sellerIdUtf8) {
    this.secret = secret.clone();
    this.sellerIdUtf8 = sellerIdUtf8.clone();
  }

  /** RES-1: {@code HKDF-SHA256(ikm = session_key, salt = transcript_digest, info = lp("openshard.v1.session.resume"), 32)}. */
  static SessionResumption derive(byte[] sessionKey, byte[] transcriptDigest, byte[] sellerIdUtf8) throws CryptoException {
    byte[] s = Hkdf.sha256(sessionKey, transcriptDigest, ByteWriter.labelled(Labels.SESSION_RESUME).toByteArray(), EnvelopeFormat.KEY_BYTES);
    try {
      return new SessionResumption(s, sellerIdUtf8);
    } finally {
      Bytes.wipe(s);
    }
  }

  /**
   * Buyer: seals request {@code requestNumber} of the session named by {@code ticket}.
   *
   * @throws CryptoException INVALID_ENCODING for a ticket of the wrong length, a request number
   *     below 1 or a query over the envelope's size limit; UNKNOWN_KEY after {@link #erase()}
   */
  public SealedResumedRequest seal(byte[] ticket, long requestNumber, SealedQuery query) throws CryptoException {
    return seal(ticket, requestNumber, query, null);
  }

  /** {@link #seal} with a fixed query nonce (known-answer vectors only), or a random one if null. */
  SealedResumedRequest seal(byte[] ticket, long requestNumber, SealedQuery query, byte[] fixedNonce) throws CryptoException {
    Objects.requireNonNull(query, "query");
    checkTicket(ticket);
    checkNumber(requestNumber);
    byte[] plaintext = query.toByteArray();
    if (plaintext.length > EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "query is " + plaintext.length + " bytes, limit " + EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES);
    }
    byte[] requestKey = requestKey(ticket, requestNumber);
    byte[] queryKey = null;
    try {
      queryKey = EnvelopeFormat.queryKey(requestKey, ticket);
      byte[] aad = queryAssociatedData(ticket, requestNumber);
      byte[] encryptedQuery =
          fixedNonce == null
              ? AesGcm.of(queryKey).seal(plaintext, aad)
              : Bytes.concat(fixedNonce, AesGcm.of(queryKey).encrypt(fixedNonce, plaintext, aad));
      byte[] transcript = transcriptDigest(ticket, requestNumber, encryptedQuery);
      SessionStreams streams = SessionStreams.derive(requestKey, ticket, transcript, null);
      ResumedRequest proto =
          ResumedRequest.newBuilder()
              .setTicket(ByteString.copyFrom(ticket))
              .setRequestNumber(requestNumber)
              .setEncryptedQuery(ByteString.copyFrom(encryptedQuery))
              .build();
      return new SealedResumedRequest(proto, transcript, new BuyerSession(streams));
    } finally {
      Bytes.wipe(requestKey);
      Bytes.wipe(queryKey);
    }
  }

  /**
   * Seller: opens a resumed request of this session. Does not check that the request number is
   * fresh; the caller's session table does (RES-8).
   *
   * @throws CryptoException INVALID_ENCODING for bad sizes or a request number below 1;
   *     DECRYPTION_FAILED if the query fails authentication (wrong session, number or tampering);
   *     UNKNOWN_KEY after {@link #erase()}
   */
  public OpenedResumedRequest open(ResumedRequest request) throws CryptoException {
    Objects.requireNonNull(request, "request");
    byte[] ticket = request.getTicket().toByteArray();
    checkTicket(ticket);
    long n = request.getRequestNumber();
    checkNumber(n);
    byte[] encryptedQuery = request.getEncryptedQuery().toByteArray();
    int overhead = AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES;
    if (encryptedQuery.length < overhead || encryptedQuery.length > EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES + overhead) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "encrypted_query must be " + overhead + ".." + (EnvelopeSealer.MAX_QUERY_PLAINTEXT_BYTES + overhead) + " bytes, was "
              + encryptedQuery.length);
    }
    byte[] requestKey = requestKey(ticket, n);
    byte[] queryKey = null;
    byte[] plaintext = null;
    try {
      queryKey = EnvelopeFormat.queryKey(requestKey, ticket);
      try {
        plaintext = AesGcm.of(queryKey).open(encryptedQuery, queryAssociatedData(ticket, n));
      } catch (CryptoException e) {
        throw new CryptoException(CryptoException.Reason.DECRYPTION_FAILED, "encrypted_query failed authentication");
      }
      SealedQuery query;
      try {
        query = SealedQuery.parseFrom(plaintext);
      } catch (InvalidProtocolBufferException e) {
        throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "decrypted query is not a SealedQuery");
      }
      byte[] transcript = transcriptDigest(ticket, n, encryptedQuery);
      SessionStreams streams = SessionStreams.derive(requestKey, ticket, transcript, null);
      return new OpenedResumedRequest(query, ticket, n, transcript, new SellerSession(streams));
    } finally {
      Bytes.wipe(requestKey);
      Bytes.wipe(queryKey);
      Bytes.wipe(plaintext);
    }
  }

  /** Wipes the secret; later seal/open calls fail with UNKNOWN_KEY. */
  public void erase() {
    erased = true;
    synchronized (secret) {
      Bytes.wipe(secret);
    }
  }

  /** RES-4: {@code request_key = HKDF-SHA256(ikm = resume_secret, salt = ticket, info = lp("openshard.v1.session.request-key") || u64(n), 32)}. */
  private byte[] requestKey(byte[] ticket, long n) throws CryptoException {
    byte[] info = ByteWriter.labelled(Labels.SESSION_REQUEST_KEY).u64(n).toByteArray();
    synchronized (secret) {
      if (erased) {
        throw new CryptoException(CryptoException.Reason.UNKNOWN_KEY, "the session's resumption secret was erased");
      }
      return Hkdf.sha256(secret, ticket, info, EnvelopeFormat.KEY_BYTES);
    }
  }

  /** RES-5: {@code lp("openshard.v1.session.query") || lp(seller_id) || lp(ticket) || u64(n)}. */
  byte[] queryAssociatedData(byte[] ticket, long n) {
    return ByteWriter.labelled(Labels.SESSION_QUERY).lp(sellerIdUtf8).lp(ticket).u64(n).toByteArray();
  }

  /**
   * RES-6: {@code SHA-256(lp("openshard.v1.session.transcript") || lp(seller_id) || lp(ticket) ||
   * u64(n) || SHA-256(encrypted_query))}.
   */
  byte[] transcriptDigest(byte[] ticket, long n, byte[] encryptedQuery) {
    return Hashes.sha256(
        ByteWriter.labelled(Labels.SESSION_TRANSCRIPT)
            .lp(sellerIdUtf8)
            .lp(ticket)
            .u64(n)
            .raw(Hashes.sha256(encryptedQuery))
            .toByteArray());
  }

  private static void checkTicket(byte[] ticket) throws CryptoException {
    if (ticket == null || ticket.length != TICKET_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_ENCODING,
          "ticket must be " + TICKET_BYTES + " bytes, was " + (ticket == null ? 0 : ticket.length));
    }
  }

  private static void checkNumber(long n) throws CryptoException {
    if (n < 1) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "request_number must be at least 1, was " + Long.toUnsignedString(n));
    }
  }

  @Override
  public String toString() {
    return "SessionResumption(secret=<redacted>)";
  }
}
