package org.openshard.seller.pipeline;

/** Stage 7: validates payment before anything reaches the upstream. */
@FunctionalInterface
public interface PaymentGate {
  /**
   * @return the authorized charge, settled after the stream with the final usage
   * @throws StageException PAYMENT_REQUIRED, PAYMENT_INVALID, CHANNEL_EXHAUSTED or
   *     PAYMENT_UNSUPPORTED
   */
  Charge authorize(PaymentContext context) throws StageException;
}
