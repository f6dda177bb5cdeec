package org.openshard.payments;

import java.util.Optional;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.PaymentRequired;

/**
 * A payment check failed. {@link #reason()} says which one; {@link #errorCode()} maps it to the wire
 * ({@code PAYMENT_REQUIRED}, {@code PAYMENT_INVALID}, {@code CHANNEL_EXHAUSTED}, ...). When the reason is
 * {@link Reason#PAYMENT_REQUIRED} the exception carries the {@link PaymentRequired} frame to send.
 * Messages are safe to log: they never contain keys, prompts or completions.
 */
public final class PaymentException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What failed, and the wire error code it maps to. */
  public enum Reason {
    /** The authorization does not cover the request's maximum cost; see {@link #paymentRequired()}. */
    PAYMENT_REQUIRED(ErrorCode.PAYMENT_REQUIRED, true),
    /** An amount is negative, not a decimal with at most 6 places, or garbage. */
    INVALID_AMOUNT(ErrorCode.PAYMENT_INVALID, false),
    /** An amount or a cost does not fit in 63 bits of base units. */
    AMOUNT_OVERFLOW(ErrorCode.PAYMENT_INVALID, false),
    /** A price is negative or absurd. */
    INVALID_PRICE(ErrorCode.PAYMENT_INVALID, false),
    /** A field has the wrong size or encoding. */
    MALFORMED(ErrorCode.PAYMENT_INVALID, false),
    /** A signature is malformed, high-s, or does not recover the channel's signer. */
    BAD_SIGNATURE(ErrorCode.PAYMENT_INVALID, false),
    /** The authorization names another chain id. */
    WRONG_CHAIN(ErrorCode.PAYMENT_INVALID, false),
    /** The authorization names another escrow contract. */
    WRONG_CONTRACT(ErrorCode.PAYMENT_INVALID, false),
    /** The channel or voucher pays someone else. */
    WRONG_PAYEE(ErrorCode.PAYMENT_INVALID, false),
    /** The channel is not known to this seller nor to the ledger. */
    UNKNOWN_CHANNEL(ErrorCode.PAYMENT_INVALID, false),
    /** The channel open does not match the ledger's channel (signer, payee, amount). */
    CHANNEL_MISMATCH(ErrorCode.PAYMENT_INVALID, false),
    /** The voucher's cumulative amount or sequence does not strictly increase (a replay). */
    STALE_VOUCHER(ErrorCode.PAYMENT_INVALID, false),
    /** The voucher's cumulative amount is above the channel's deposit. */
    ABOVE_DEPOSIT(ErrorCode.PAYMENT_INVALID, false),
    /** The request's maximum cost is above what the buyer agreed to pay. */
    COST_LIMIT(ErrorCode.PAYMENT_INVALID, false),
    /** The admission is not known (never reserved, or released). */
    UNKNOWN_ADMISSION(ErrorCode.PAYMENT_INVALID, false),
    /** The request JSON cannot be read to estimate its cost. */
    INVALID_REQUEST(ErrorCode.INVALID_QUERY, false),
    /** The channel expires within the safety margin, or has expired. */
    CHANNEL_EXPIRED(ErrorCode.CHANNEL_EXHAUSTED, true),
    /** The channel was closed (withdrawn). */
    CHANNEL_CLOSED(ErrorCode.CHANNEL_EXHAUSTED, true),
    /** The buyer cannot pay with this channel (deposit cap reached, wallet empty, too many rounds). */
    CANNOT_PAY(ErrorCode.CHANNEL_EXHAUSTED, true),
    /** The ledger or chain refused or failed an operation. */
    LEDGER_FAILED(ErrorCode.STORE_UNAVAILABLE, true),
    /** The channel store (disk, Redis) is unreachable or corrupt; the request failed closed. */
    STORE_UNAVAILABLE(ErrorCode.STORE_UNAVAILABLE, true);

    private final ErrorCode code;
    private final boolean retryable;

    Reason(ErrorCode code, boolean retryable) {
      this.code = code;
      this.retryable = retryable;
    }

    public ErrorCode errorCode() {
      return code;
    }

    /** Whether the same request may succeed elsewhere or later. */
    public boolean retryable() {
      return retryable;
    }
  }

  private final Reason reason;
  private final String field;
  private final PaymentRequired paymentRequired;

  public PaymentException(Reason reason, String message) {
    this(reason, message, "", null, null);
  }

  public PaymentException(Reason reason, String field, String message) {
    this(reason, message, field, null, null);
  }

  public PaymentException(Reason reason, String message, Throwable cause) {
    this(reason, message, "", null, cause);
  }

  public PaymentException(Reason reason, String field, String message, Throwable cause) {
    this(reason, message, field, null, cause);
  }

  private PaymentException(Reason reason, String message, String field, PaymentRequired required, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.field = field == null ? "" : field;
    this.paymentRequired = required;
  }

  /** A {@link Reason#PAYMENT_REQUIRED} carrying the frame the seller sends. */
  public static PaymentException paymentRequired(PaymentRequired required) {
    return new PaymentException(
        Reason.PAYMENT_REQUIRED,
        "authorization short by " + required.getAmountDue() + " base units",
        "payment",
        required,
        null);
  }

  public Reason reason() {
    return reason;
  }

  public ErrorCode errorCode() {
    return reason.errorCode();
  }

  /** The offending field (dot-joined), or "". */
  public String field() {
    return field;
  }

  public Optional<PaymentRequired> paymentRequired() {
    return Optional.ofNullable(paymentRequired);
  }

  /** The wire error. */
  public ErrorDetail toErrorDetail() {
    return ErrorDetail.newBuilder()
        .setCode(reason.errorCode())
        .setMessage(getMessage())
        .setField(field)
        .setRetryable(reason.retryable())
        .putMetadata("payment_reason", reason.name())
        .build();
  }
}
