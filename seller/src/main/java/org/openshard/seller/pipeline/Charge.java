package org.openshard.seller.pipeline;

import com.google.protobuf.ByteString;
import org.openshard.proto.v1.Usage;

/** What the payment gate authorized for one request; settled once with the final usage. */
public interface Charge {
  /**
   * The amount charged for {@code usage}, in base units, recorded against the payment channel.
   * Called exactly once, after the last chunk.
   */
  long settle(Usage usage);

  /** The channel paying (empty for free requests), for the receipt. */
  default ByteString channelId() {
    return ByteString.EMPTY;
  }

  /** The voucher sequence the charge is covered by (0 for free requests), for the receipt. */
  default long voucherSequence() {
    return 0;
  }

  /**
   * The request failed after payment was authorized (upstream error, cancellation): drop whatever
   * was reserved without charging. Called at most once, instead of {@link #settle}.
   */
  default void release() {}

  /** A free request: charges nothing. */
  static Charge free() {
    return usage -> 0;
  }
}
