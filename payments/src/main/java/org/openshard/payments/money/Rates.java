package org.openshard.payments.money;

import java.math.BigInteger;
import org.openshard.payments.PaymentException;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.Usage;

/**
 * Validated per-token prices in base units per million tokens, and the exact cost of a usage:
 *
 * <pre>cost = ceil((fresh_in * input + cached_in * cached_input + out * output) / 10^6)</pre>
 *
 * where {@code fresh_in = prompt_tokens - cached_prompt_tokens}. Computed with BigInteger, so it
 * never overflows silently; a cost above 2^63-1 base units is an error.
 */
public final class Rates {
  /** Largest price accepted: 10^12 base units (one million USDC) per million tokens. */
  public static final long MAX_PRICE_PER_MILLION = 1_000_000_000_000L;

  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000L);

  private final long inputPerMillion;
  private final long cachedInputPerMillion;
  private final long outputPerMillion;

  private Rates(long input, long cached, long output) {
    this.inputPerMillion = input;
    this.cachedInputPerMillion = cached;
    this.outputPerMillion = output;
  }

  /** @throws PaymentException INVALID_PRICE for negative (uint64 ≥ 2^63) or absurd prices */
  public static Rates of(long inputPerMillion, long cachedInputPerMillion, long outputPerMillion) throws PaymentException {
    check(inputPerMillion, "pricing.input_per_million");
    check(cachedInputPerMillion, "pricing.cached_input_per_million");
    check(outputPerMillion, "pricing.output_per_million");
    return new Rates(inputPerMillion, cachedInputPerMillion, outputPerMillion);
  }

  public static Rates fromProto(Pricing p) throws PaymentException {
    return of(p.getInputPerMillion(), p.getCachedInputPerMillion(), p.getOutputPerMillion());
  }

  private static void check(long price, String field) throws PaymentException {
    if (price < 0) {
      throw new PaymentException(PaymentException.Reason.INVALID_PRICE, field, field + " is negative or ≥ 2^63");
    }
    if (price > MAX_PRICE_PER_MILLION) {
      throw new PaymentException(
          PaymentException.Reason.INVALID_PRICE, field, field + " is above " + MAX_PRICE_PER_MILLION + " base units per million tokens");
    }
  }

  public long inputPerMillion() {
    return inputPerMillion;
  }

  public long cachedInputPerMillion() {
    return cachedInputPerMillion;
  }

  public long outputPerMillion() {
    return outputPerMillion;
  }

  public boolean isFree() {
    return inputPerMillion == 0 && cachedInputPerMillion == 0 && outputPerMillion == 0;
  }

  /**
   * The exact cost of a metered usage.
   *
   * @throws PaymentException MALFORMED if a token count is ≥ 2^63 or cached exceeds prompt tokens,
   *     AMOUNT_OVERFLOW if the cost does not fit
   */
  public Usdc cost(Usage usage) throws PaymentException {
    long prompt = tokens(usage.getPromptTokens(), "usage.prompt_tokens");
    long cached = tokens(usage.getCachedPromptTokens(), "usage.cached_prompt_tokens");
    long out = tokens(usage.getCompletionTokens(), "usage.completion_tokens");
    if (cached > prompt) {
      throw new PaymentException(
          PaymentException.Reason.MALFORMED, "usage.cached_prompt_tokens", "cached prompt tokens exceed prompt tokens");
    }
    return cost(prompt - cached, cached, out);
  }

  /** The exact cost of the given token counts (all ≥ 0). */
  public Usdc cost(long freshInputTokens, long cachedInputTokens, long outputTokens) throws PaymentException {
    if (freshInputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, "usage", "token counts must not be negative");
    }
    BigInteger total = BigInteger.valueOf(freshInputTokens).multiply(BigInteger.valueOf(inputPerMillion))
        .add(BigInteger.valueOf(cachedInputTokens).multiply(BigInteger.valueOf(cachedInputPerMillion)))
        .add(BigInteger.valueOf(outputTokens).multiply(BigInteger.valueOf(outputPerMillion)));
    BigInteger[] qr = total.divideAndRemainder(MILLION);
    BigInteger ceil = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    return Usdc.fromBigInteger(ceil, "cost");
  }

  private static long tokens(long v, String field) throws PaymentException {
    if (v < 0) {
      throw new PaymentException(PaymentException.Reason.MALFORMED, field, field + " is ≥ 2^63");
    }
    return v;
  }

  @Override
  public String toString() {
    return "Rates(in=" + inputPerMillion + ", cached=" + cachedInputPerMillion + ", out=" + outputPerMillion + " per 1M)";
  }
}
