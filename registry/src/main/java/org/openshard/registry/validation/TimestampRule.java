package org.openshard.registry.validation;

import org.openshard.registry.RegistryException;

/** REG-5: a signed timestamp must be positive and within the registry's clock-skew window. */
public final class TimestampRule {
  private TimestampRule() {}

  public static void check(long timestampMs, long nowMs, long maxSkewMs, String field) throws RegistryException {
    if (timestampMs <= 0) {
      throw RegistryException.invalid(field, "timestamp_ms is required (Unix milliseconds)");
    }
    long diff = timestampMs - nowMs;
    if (diff > maxSkewMs || diff < -maxSkewMs) {
      throw RegistryException.clockSkew(
          field,
          "timestamp_ms is " + Math.abs(diff) + " ms " + (diff > 0 ? "ahead of" : "behind")
              + " the registry clock; at most " + maxSkewMs + " ms is accepted");
    }
  }
}
