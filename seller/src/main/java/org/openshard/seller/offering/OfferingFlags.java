package org.openshard.seller.offering;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Parses an offering given on the command line:
 *
 * <pre>id=llama,service=llama-3.1-8b,service=llama3,model=meta-llama/Llama-3.1-8B-Instruct,in=150000,out=600000,cached=75000,capability=inference,context=8192</pre>
 *
 * Keys: {@code id}, {@code service} (repeatable; at least one), {@code model} (the upstream
 * model), {@code in} / {@code out} / {@code cached} (USDC base units per million tokens, default
 * 0), {@code capability} ({@code inference} (default), {@code agent}, {@code tool}), {@code
 * context} (max context tokens, default 0 = unknown). The result is validated like any offering.
 */
public final class OfferingFlags {
  private OfferingFlags() {}

  /**
   * @throws InvalidOfferingException naming the bad key or field, with what was expected
   */
  public static Offering parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new InvalidOfferingException("offering", "the offering is empty; expected id=...,service=...,model=...");
    }
    Offering.Builder b = Offering.builder();
    Set<String> seen = new HashSet<>();
    for (String part : spec.split(",", -1)) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new InvalidOfferingException("offering", "'" + p + "' is not key=value (in '" + spec + "')");
      }
      String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = p.substring(eq + 1).trim();
      if (!key.equals("service") && !seen.add(key)) {
        throw new InvalidOfferingException(key, "key '" + key + "' is given twice");
      }
      switch (key) {
        case "id":
          b.id(value);
          break;
        case "service":
          b.serviceId(value);
          break;
        case "model":
          b.upstreamModel(value);
          break;
        case "in":
          b.inputPricePerMillion(number("pricing.input_per_million", key, value));
          break;
        case "out":
          b.outputPricePerMillion(number("pricing.output_per_million", key, value));
          break;
        case "cached":
          b.cachedInputPricePerMillion(number("pricing.cached_input_per_million", key, value));
          break;
        case "capability":
          b.capability(Offering.Kind.fromJson(value));
          break;
        case "context":
          long c = number("max_context_tokens", key, value);
          if (c > Integer.MAX_VALUE) {
            throw new InvalidOfferingException("max_context_tokens", "context must be at most " + Integer.MAX_VALUE);
          }
          b.maxContextTokens((int) c);
          break;
        default:
          throw new InvalidOfferingException(
              key, "unknown key '" + key + "'; use id, service, model, in, out, cached, capability, context");
      }
    }
    return b.build();
  }

  private static long number(String field, String key, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidOfferingException(
          field, key + " must be a whole number of USDC base units per million tokens (1 USDC = 1000000), was '" + value + "'");
    }
  }
}
