package org.openshard.seller.pipeline;

import com.google.protobuf.ByteString;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ResumedRequest;
import org.openshard.proto.v1.SessionTicket;

/**
 * The sessions this seller keeps for resumption (docs/protocol.md section 5a). An admitted envelope
 * may leave its session here ({@link #keep}); a resumed request replaces stages 1 to 6 with
 * {@link #admit}: look up the ticket, decrypt the query with the request's keys, then claim the
 * request number (RES-8), in that order.
 */
public interface SessionStore {
  /** Keeps no session: no ticket is ever offered and every resumed request is SESSION_UNKNOWN. */
  SessionStore NONE =
      new SessionStore() {
        @Override
        public SessionTicket keep(SessionResumption resumption, ByteString nullifierHash) {
          resumption.erase();
          return null;
        }

        @Override
        public Admitted admit(ResumedRequest request) throws StageException {
          throw StageException.of(ErrorCode.SESSION_UNKNOWN, "resume.ticket", "this seller does not resume sessions; send an envelope");
        }
      };

  /**
   * Keeps an admitted envelope's session; returns the ticket to offer in Accepted, or null if the
   * session is not kept (then the secret is erased).
   */
  SessionTicket keep(SessionResumption resumption, ByteString nullifierHash);

  /**
   * Admits a resumed request.
   *
   * @throws StageException SESSION_UNKNOWN (unknown, expired or used-up ticket, or a number past
   *     the session's limit), INVALID_ARGUMENT (sizes), DECRYPTION_FAILED, INVALID_QUERY,
   *     SESSION_REQUEST_REPLAYED (the number was used before)
   */
  Admitted admit(ResumedRequest request) throws StageException;

  /** A resumed request that passed admission. */
  record Admitted(OpenedQuery opened, ByteString nullifierHash) {}
}
