package org.openshard.payments.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openshard.payments.PaymentException;

class MaxCostEstimatorTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void promptEstimateIsCeilBytesOverThreePlusOverhead() {
    assertEquals(64, MaxCostEstimator.promptTokens(0));
    assertEquals(65, MaxCostEstimator.promptTokens(1));
    assertEquals(65, MaxCostEstimator.promptTokens(3));
    assertEquals(66, MaxCostEstimator.promptTokens(4));
  }

  @Test
  void usesMaxCompletionTokensThenMaxTokensThenTheDefault() throws Exception {
    Rates r = Rates.of(1_000_000, 0, 2_000_000);
    String withBoth = "{\"model\":\"m\",\"max_completion_tokens\":100,\"max_tokens\":900}";
    MaxCost a = MaxCostEstimator.estimate(b(withBoth), r, 0);
    assertEquals(100, a.completionTokens());
    long prompt = MaxCostEstimator.promptTokens(b(withBoth).length);
    assertEquals(prompt, a.promptTokens());
    assertEquals(prompt * 1 + 100 * 2, a.cost().units());

    assertEquals(900, MaxCostEstimator.estimate(b("{\"max_tokens\":900}"), r, 0).completionTokens());
    assertEquals(MaxCostEstimator.DEFAULT_MAX_COMPLETION_TOKENS, MaxCostEstimator.estimate(b("{}"), r, 0).completionTokens());
    assertEquals(512, MaxCostEstimator.estimate(b("{}"), r, 512).completionTokens());
  }

  @Test
  void promptIsPricedAtTheHigherInputRate() throws Exception {
    Rates cachedDearer = Rates.of(1_000_000, 3_000_000, 0);
    MaxCost m = MaxCostEstimator.estimate(b("{\"max_tokens\":0}"), cachedDearer, 0);
    assertEquals(m.promptTokens() * 3, m.cost().units());
  }

  private static Rates zero() {
    try {
      return Rates.of(0, 0, 0);
    } catch (PaymentException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void rejectsGarbage() {
    Rates r = zero();
    for (String bad : new String[] {"not json", "[1,2]", "{\"max_tokens\":-1}", "{\"max_tokens\":1.5}",
        "{\"max_tokens\":\"10\"}", "{\"max_completion_tokens\":99999999999}"}) {
      PaymentException e = assertThrows(PaymentException.class, () -> MaxCostEstimator.estimate(b(bad), r, 0), bad);
      assertEquals(PaymentException.Reason.INVALID_REQUEST, e.reason());
    }
  }
}
