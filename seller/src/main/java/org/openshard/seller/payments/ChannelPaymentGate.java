package org.openshard.seller.payments;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.openshard.payments.PaymentException;
import org.openshard.payments.channel.ChannelValidator;
import org.openshard.payments.channel.PaymentAdmission;
import org.openshard.payments.channel.SettledPayment;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.Charge;
import org.openshard.seller.pipeline.PaymentContext;
import org.openshard.seller.pipeline.PaymentGate;
import org.openshard.seller.pipeline.StageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment stage on payment channels ({@link ChannelValidator}, docs/protocol.md 9.4-9.5):
 * free offerings pass; for priced ones the buyer's latest authorization on the stream is validated
 * and the request's maximum cost reserved, asking for more with {@code PaymentRequired} on the same
 * stream (at most {@link #MAX_ROUNDS} rounds). After the stream the metered usage is charged; a
 * request that fails after admission releases its reservation.
 */
public final class ChannelPaymentGate implements PaymentGate {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelPaymentGate.class);
  public static final int MAX_ROUNDS = 3;

  private final ChannelValidator validator;
  private final Duration answerTimeout;

  public ChannelPaymentGate(ChannelValidator validator, Duration answerTimeout) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.answerTimeout = Objects.requireNonNull(answerTimeout, "answerTimeout");
  }

  /** What the seller advertises (SellerInfo.payment_terms, SellerRegistration.payment_terms). */
  public PaymentTerms terms() {
    return validator.terms();
  }

  @Override
  public Charge authorize(PaymentContext ctx) throws StageException {
    if (ctx.offering().pricing().isFree()) {
      return Charge.free();
    }
    if (ctx.buyerMaxCost() != 0 && Long.compareUnsigned(ctx.maxRequestCost(), ctx.buyerMaxCost()) > 0) {
      throw StageException.of(
          ErrorCode.PAYMENT_INVALID, "max_cost", "the request may cost " + ctx.maxRequestCost()
              + " base units, more than the buyer's limit of " + Long.toUnsignedString(ctx.buyerMaxCost()));
    }
    List<PaymentAuthorization> sent = ctx.conversation().received();
    PaymentAuthorization auth = sent.isEmpty() ? null : sent.get(sent.size() - 1);
    for (int round = 0; ; round++) {
      try {
        PaymentAdmission a = validator.admit(auth, ctx.offering().toProto().getPricing(), ctx.maxRequestCost());
        return new ChannelCharge(a);
      } catch (PaymentException e) {
        if (e.reason() != PaymentException.Reason.PAYMENT_REQUIRED || e.paymentRequired().isEmpty() || round >= MAX_ROUNDS) {
          throw toStage(e);
        }
        auth = ctx.conversation().request(e.paymentRequired().get(), answerTimeout);
      }
    }
  }

  static StageException toStage(PaymentException e) {
    return StageException.of(e.toErrorDetail());
  }

  private final class ChannelCharge implements Charge {
    private final PaymentAdmission admission;
    private volatile long voucherSequence;

    ChannelCharge(PaymentAdmission admission) {
      this.admission = admission;
      this.voucherSequence = admission.voucherSequence();
    }

    @Override
    public long settle(Usage usage) {
      try {
        SettledPayment s = validator.settle(admission, usage);
        voucherSequence = s.voucherSequence();
        if (!s.shortfall().isZero()) {
          LOG.warn("channel {} could not cover {} base units of a served request", admission.channelId(), s.shortfall().units());
        }
        return s.charged().units();
      } catch (PaymentException e) {
        // The stream was served; the reservation expires and the highest voucher can still be claimed.
        LOG.warn("settling channel {} failed: {}", admission.channelId(), e.getMessage());
        return 0;
      }
    }

    @Override
    public void release() {
      try {
        validator.release(admission);
      } catch (PaymentException e) {
        LOG.warn("releasing a reservation on channel {} failed: {}", admission.channelId(), e.getMessage());
      }
    }

    @Override
    public ByteString channelId() {
      return ByteString.copyFrom(admission.channelId().toBytes());
    }

    @Override
    public long voucherSequence() {
      return voucherSequence;
    }
  }
}
