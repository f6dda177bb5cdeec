package org.openshard.buyer.dispatch;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.payments.BuyerPayments;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.Accepted;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/** The payment steps of one attempt, kept out of {@link ChatExecution}'s state machine. */
final class PaymentRounds {
  private PaymentRounds() {}

  /** Answers a PaymentRequired on the same stream, or reports why this seller cannot be paid. */
  static void answer(
      BuyerPayments.Session pay, PaymentRequired required, StreamObserver<BuyerFrame> stream, Consumer<BuyerException> onFailure) {
    PaymentAuthorization auth;
    try {
      auth = pay.respond(required);
    } catch (BuyerException ex) {
      onFailure.accept(ex);
      return;
    }
    try {
      stream.onNext(BuyerFrame.newBuilder().setPayment(auth).build());
    } catch (RuntimeException ignored) {
      // The stream is already closed; its error callback ends the attempt.
    }
  }

  /** Stores the (already verified) receipt of a paid request. */
  static void record(BuyerPayments.Session pay, SignedReceipt signed, Receipt receipt, Accepted accepted) throws BuyerException {
    if (signed == null) {
      return;
    }
    long max = accepted == null ? 0 : accepted.getMaxRequestCost();
    pay.record(signed, receipt, max <= 0 ? Usdc.ZERO : Usdc.ofUnits(max));
  }
}
