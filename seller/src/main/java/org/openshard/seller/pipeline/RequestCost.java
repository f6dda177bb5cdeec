package org.openshard.seller.pipeline;

import org.openshard.payments.PaymentException;
import org.openshard.payments.money.MaxCostEstimator;
import org.openshard.payments.money.Rates;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.upstream.OpenAiRequest;

/**
 * The most a request can cost at an offering's rates (Accepted.max_request_cost), in base units,
 * as docs/protocol.md PAY-3 defines it ({@link MaxCostEstimator}). Free offerings cost 0.
 */
public final class RequestCost {
  private RequestCost() {}

  /**
   * @throws StageException INVALID_QUERY if the request's token limits are unreadable
   */
  public static long max(Offering offering, OpenAiRequest request) throws StageException {
    if (offering.pricing().isFree()) {
      return 0;
    }
    try {
      Rates rates = Rates.fromProto(offering.toProto().getPricing());
      return MaxCostEstimator.estimate(request.utf8Bytes(), rates, offering.maxContextTokens()).cost().units();
    } catch (PaymentException e) {
      throw StageException.of(ErrorCode.INVALID_QUERY, e.field(), e.getMessage());
    }
  }
}
