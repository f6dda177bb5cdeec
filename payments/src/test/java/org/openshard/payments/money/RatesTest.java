package org.openshard.payments.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.openshard.payments.PaymentException;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.Usage;

class RatesTest {
  private static Usage usage(long prompt, long cached, long out) {
    return Usage.newBuilder().setPromptTokens(prompt).setCachedPromptTokens(cached).setCompletionTokens(out).build();
  }

  @Test
  void costIsTheCeilingOfTheExactSum() throws Exception {
    Rates r = Rates.of(150_000, 75_000, 600_000);
    // fresh 900 * 150000 + cached 100 * 75000 + out 50 * 600000 = 135e6 + 7.5e6 + 30e6 = 172.5e6 -> /1e6 = 172.5 -> 173
    assertEquals(173, r.cost(usage(1000, 100, 50)).units());
    assertEquals(0, r.cost(usage(0, 0, 0)).units());
    // one token at 1 base unit / million rounds up to 1
    assertEquals(1, Rates.of(1, 0, 0).cost(usage(1, 0, 0)).units());
    assertEquals(1, Rates.of(1_000_000, 0, 0).cost(usage(1, 0, 0)).units());
    assertEquals(2, Rates.of(1_000_001, 0, 0).cost(usage(1, 0, 0)).units());
  }

  @Test
  void largeCountsAreExact() throws Exception {
    Rates r = Rates.of(Rates.MAX_PRICE_PER_MILLION, Rates.MAX_PRICE_PER_MILLION - 1, 999_999_999_999L);
    long p = 9_000_000L, c = 3_000_000L, o = 7_777_777L;
    BigInteger total = BigInteger.valueOf(p - c).multiply(BigInteger.valueOf(Rates.MAX_PRICE_PER_MILLION))
        .add(BigInteger.valueOf(c).multiply(BigInteger.valueOf(Rates.MAX_PRICE_PER_MILLION - 1)))
        .add(BigInteger.valueOf(o).multiply(BigInteger.valueOf(999_999_999_999L)));
    BigInteger[] qr = total.divideAndRemainder(BigInteger.valueOf(1_000_000));
    long expected = qr[0].add(qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE).longValueExact();
    assertEquals(expected, r.cost(usage(p, c, o)).units());
  }

  @Test
  void costThatDoesNotFitIsAnOverflowError() throws Exception {
    Rates r = Rates.of(Rates.MAX_PRICE_PER_MILLION, 0, Rates.MAX_PRICE_PER_MILLION);
    PaymentException e = assertThrows(PaymentException.class, () -> r.cost(usage(Long.MAX_VALUE, 0, Long.MAX_VALUE)));
    assertEquals(PaymentException.Reason.AMOUNT_OVERFLOW, e.reason());
  }

  @Test
  void negativeOrAbsurdPricesAreRejected() {
    assertEquals(PaymentException.Reason.INVALID_PRICE, assertThrows(PaymentException.class,
        () -> Rates.fromProto(Pricing.newBuilder().setInputPerMillion(-1L).build())).reason());
    assertEquals(PaymentException.Reason.INVALID_PRICE, assertThrows(PaymentException.class,
        () -> Rates.of(0, 0, Rates.MAX_PRICE_PER_MILLION + 1)).reason());
  }

  @Test
  void inconsistentUsageIsRejected() throws Exception {
    Rates r = Rates.of(1, 1, 1);
    assertEquals(PaymentException.Reason.MALFORMED, assertThrows(PaymentException.class, () -> r.cost(usage(5, 6, 0))).reason());
    assertEquals(PaymentException.Reason.MALFORMED, assertThrows(PaymentException.class, () -> r.cost(usage(-1, 0, 0))).reason());
  }
}
