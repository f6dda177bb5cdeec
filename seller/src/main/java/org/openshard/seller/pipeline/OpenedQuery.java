package org.openshard.seller.pipeline;

import java.util.Objects;
import org.openshard.proto.v1.SealedQuery;

/** What decryption yields: the buyer's query and the sealer of the response stream. */
public record OpenedQuery(SealedQuery query, ResponseSealer sealer) {
  public OpenedQuery {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(sealer, "sealer");
  }

  @Override
  public String toString() {
    return "OpenedQuery(service=" + query.getServiceId() + ")";
  }
}
