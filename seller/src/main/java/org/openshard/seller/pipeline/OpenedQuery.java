package org.openshard.seller.pipeline;

import java.util.Objects;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.proto.v1.SealedQuery;

/**
 * What decryption yields: the buyer's query, the sealer of the response stream and, for an
 * envelope (not a resumed request), the session's resumption secret (null if none).
 */
public record OpenedQuery(SealedQuery query, ResponseSealer sealer, SessionResumption resumption) {
  public OpenedQuery(SealedQuery query, ResponseSealer sealer) {
    this(query, sealer, null);
  }

  public OpenedQuery {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(sealer, "sealer");
  }

  @Override
  public String toString() {
    return "OpenedQuery(service=" + query.getServiceId() + ")";
  }
}
