package org.openshard.seller.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Usage;

/**
 * What happened to one request, without content: the source of the audit line, metrics and load
 * signals. Durations are null when the request did not get that far.
 *
 * @param error null if the request succeeded
 */
public record RequestRecord(
    Instant startedAt,
    String nullifierHash,
    String offeringId,
    ErrorCode error,
    Usage usage,
    long amount,
    Duration proofVerify,
    Duration timeToFirstToken,
    Duration upstream,
    Duration total) {
  public RequestRecord {
    Objects.requireNonNull(startedAt, "startedAt");
    nullifierHash = nullifierHash == null ? "" : nullifierHash;
    offeringId = offeringId == null ? "" : offeringId;
    usage = usage == null ? Usage.getDefaultInstance() : usage;
    Objects.requireNonNull(total, "total");
  }

  public boolean ok() {
    return error == null;
  }

  /** {@code "ok"} or the error code in lowercase (e.g. {@code "nullifier_replayed"}). */
  public String outcome() {
    return error == null ? "ok" : error.name().toLowerCase(Locale.ROOT);
  }

  /**
   * True if the failure is the seller's side (upstream, store, bug), which counts towards the error
   * rate reported to the registry. Buyer mistakes (bad proofs, replays, cancellations) do not.
   */
  public boolean sellerFault() {
    if (error == null) {
      return false;
    }
    switch (error) {
      case UPSTREAM_ERROR:
      case UPSTREAM_TIMEOUT:
      case STORE_UNAVAILABLE:
      case INTERNAL:
        return true;
      default:
        return false;
    }
  }
}
