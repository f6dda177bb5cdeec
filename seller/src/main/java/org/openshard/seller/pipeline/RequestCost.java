package org.openshard.seller.pipeline;

import java.math.BigInteger;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.upstream.OpenAiRequest;

/**
 * The most a request can cost at an offering's rates (Accepted.max_request_cost), in base units:
 * {@code ceil((promptBound * input + completionBound * output) / 10^6)}.
 *
 * <ul>
 *   <li>promptBound: the request's UTF-8 size in bytes (no tokenizer emits more tokens than
 *       bytes), capped at the offering's context size if it declares one;
 *   <li>completionBound: {@code max_completion_tokens} / {@code max_tokens}, else the offering's
 *       context size, else {@link #DEFAULT_COMPLETION_BOUND}.
 * </ul>
 *
 * Free offerings cost 0. Saturates at {@link Long#MAX_VALUE}.
 */
public final class RequestCost {
  public static final long DEFAULT_COMPLETION_BOUND = 32_768;
  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  private RequestCost() {}

  public static long max(Offering offering, OpenAiRequest request) {
    Offering.Prices p = offering.pricing();
    if (p.isFree()) {
      return 0;
    }
    long context = offering.maxContextTokens();
    long prompt = request.utf8Length();
    if (context > 0) {
      prompt = Math.min(prompt, context);
    }
    long completion = request.maxCompletionTokens().orElse(context > 0 ? context : DEFAULT_COMPLETION_BOUND);
    if (context > 0) {
      completion = Math.min(completion, context);
    }
    long inputRate = Math.max(p.inputPerMillion(), p.cachedInputPerMillion());
    BigInteger micro =
        BigInteger.valueOf(prompt).multiply(BigInteger.valueOf(inputRate))
            .add(BigInteger.valueOf(completion).multiply(BigInteger.valueOf(p.outputPerMillion())));
    BigInteger[] qr = micro.divideAndRemainder(MILLION);
    BigInteger cost = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    return cost.bitLength() >= 63 ? Long.MAX_VALUE : cost.longValue();
  }
}
