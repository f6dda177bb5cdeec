package org.openshard.seller.pipeline;

import java.time.Duration;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;

/**
 * The payment part of one Infer stream: the seller may ask for more authorization and the buyer
 * answers on the same stream (the envelope, and its nullifier, are never re-sent).
 */
public interface PaymentConversation {
  /** The authorization frames the buyer sent before the gate ran (possibly none), oldest first. */
  java.util.List<PaymentAuthorization> received();

  /**
   * Sends {@code required} and waits for the buyer's next payment frame.
   *
   * @throws StageException PAYMENT_REQUIRED if none arrives within {@code timeout}; CANCELLED if the
   *     stream is cancelled while waiting
   */
  PaymentAuthorization request(PaymentRequired required, Duration timeout) throws StageException;
}
