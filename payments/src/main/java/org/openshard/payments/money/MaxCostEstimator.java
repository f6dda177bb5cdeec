package org.openshard.payments.money;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openshard.payments.PaymentException;

/**
 * Estimates the most a chat-completions request can cost, before it is sent upstream.
 *
 * <ul>
 *   <li><b>Prompt tokens</b>: {@code ceil(bytes / 3) + 64}, where {@code bytes} is the length of
 *       the whole request JSON in UTF-8. Tokenizers average about 4 bytes per token on English
 *       text; dividing by 3 and counting the JSON syntax too over-estimates, and the 64 tokens
 *       cover the chat template the upstream adds. It is an estimate, not a bound for every
 *       tokenizer (byte-level tokens on unusual text can be denser); the buyer is only charged the
 *       metered usage, so over-estimating costs nothing but reserved credit.
 *   <li><b>Completion tokens</b>: {@code max_completion_tokens}, else {@code max_tokens}, else
 *       {@link #DEFAULT_MAX_COMPLETION_TOKENS}; never more than the offering's
 *       {@code max_context_tokens} when that is set.
 *   <li><b>Cost</b>: prompt tokens at the higher of the fresh and cached input rates plus
 *       completion tokens at the output rate, rounded up ({@link Rates#cost}).
 * </ul>
 */
public final class MaxCostEstimator {
  /** Completion cap when the request sets neither max_completion_tokens nor max_tokens. */
  public static final long DEFAULT_MAX_COMPLETION_TOKENS = 4096;
  /** Template overhead added to every prompt estimate, tokens. */
  public static final long PROMPT_OVERHEAD_TOKENS = 64;
  /** Largest completion limit accepted in a request. */
  public static final long MAX_COMPLETION_TOKENS_ACCEPTED = 10_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private MaxCostEstimator() {}

  /** The prompt-token estimate for a request body of {@code jsonBytes} bytes. */
  public static long promptTokens(long jsonBytes) {
    return Math.addExact((jsonBytes + 2) / 3, PROMPT_OVERHEAD_TOKENS);
  }

  /**
   * @param requestJson the OpenAI chat-completions request, UTF-8 JSON
   * @param maxContextTokens the offering's limit, 0 if unknown
   * @throws PaymentException INVALID_REQUEST if the JSON or its token limits are unreadable
   */
  public static MaxCost estimate(byte[] requestJson, Rates rates, long maxContextTokens) throws PaymentException {
    JsonNode root;
    try {
      root = JSON.readTree(requestJson);
    } catch (JsonProcessingException e) {
      throw new PaymentException(PaymentException.Reason.INVALID_REQUEST, "openai_request_json", "request is not JSON");
    } catch (java.io.IOException e) {
      throw new PaymentException(PaymentException.Reason.INVALID_REQUEST, "openai_request_json", "request is unreadable");
    }
    if (root == null || !root.isObject()) {
      throw new PaymentException(PaymentException.Reason.INVALID_REQUEST, "openai_request_json", "request is not a JSON object");
    }
    long completion = DEFAULT_MAX_COMPLETION_TOKENS;
    if (root.hasNonNull("max_completion_tokens")) {
      completion = limit(root.get("max_completion_tokens"), "max_completion_tokens");
    } else if (root.hasNonNull("max_tokens")) {
      completion = limit(root.get("max_tokens"), "max_tokens");
    }
    if (maxContextTokens > 0) {
      completion = Math.min(completion, maxContextTokens);
    }
    long prompt = promptTokens(requestJson.length);
    long inputRate = Math.max(rates.inputPerMillion(), rates.cachedInputPerMillion());
    Rates conservative = Rates.of(inputRate, inputRate, rates.outputPerMillion());
    return new MaxCost(prompt, completion, conservative.cost(prompt, 0, completion));
  }

  private static long limit(JsonNode n, String field) throws PaymentException {
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > MAX_COMPLETION_TOKENS_ACCEPTED) {
      throw new PaymentException(
          PaymentException.Reason.INVALID_REQUEST,
          "openai_request_json." + field,
          field + " must be an integer in [0, " + MAX_COMPLETION_TOKENS_ACCEPTED + "]");
    }
    return n.asLong();
  }
}
