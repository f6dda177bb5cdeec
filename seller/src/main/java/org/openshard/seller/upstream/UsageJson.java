package org.openshard.seller.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import org.openshard.proto.v1.Usage;

/** Reads OpenAI's {@code usage} object: prompt, completion and cached prompt tokens. */
final class UsageJson {
  private UsageJson() {}

  /** Null if {@code usage} is absent or null. Negative or non-integer counts read as 0. */
  static Usage read(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long prompt = count(usage.get("prompt_tokens"));
    long completion = count(usage.get("completion_tokens"));
    JsonNode details = usage.get("prompt_tokens_details");
    long cached = details != null && details.isObject() ? count(details.get("cached_tokens")) : 0;
    return Usage.newBuilder()
        .setPromptTokens(prompt)
        .setCompletionTokens(completion)
        .setCachedPromptTokens(Math.min(cached, prompt))
        .build();
  }

  private static long count(JsonNode n) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      return 0;
    }
    return Math.max(0, n.longValue());
  }
}
