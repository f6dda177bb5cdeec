package org.openshard.seller.upstream;

import java.time.Duration;
import java.util.Objects;

/** What to send upstream: the application's request, the model to substitute and a time limit. */
public record UpstreamRequest(OpenAiRequest request, String upstreamModel, Duration timeout) {
  public UpstreamRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(upstreamModel, "upstreamModel");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }
}
