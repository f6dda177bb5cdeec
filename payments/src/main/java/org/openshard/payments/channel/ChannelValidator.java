package org.openshard.payments.channel;

import java.time.Clock;
import java.util.Optional;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.money.Rates;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.Usage;

/**
 * The seller's payment gate, run before anything goes upstream (rules PAY-1 .. PAY-14 in
 * docs/protocol.md section 9):
 *
 * <pre>{@code
 * PaymentAdmission a = validator.admit(auth, offering.getPricing(), maxCost);   // or PaymentException
 * ... stream the completion ...
 * SettledPayment s = validator.settle(a, usage);                               // charge metered usage
 * }</pre>
 *
 * A {@link Reason#PAYMENT_REQUIRED} exception carries the {@code PaymentRequired} frame to send on
 * the same stream; the buyer answers with a new authorization and {@code admit} is called again.
 */
public final class ChannelValidator {
  /** A channel must stay open at least this long after admission (room to claim), seconds. */
  public static final long DEFAULT_EXPIRY_MARGIN_SECONDS = 3600;
  /** An admission not settled within this time releases its reservation, milliseconds. */
  public static final long DEFAULT_RESERVATION_TTL_MS = 15 * 60 * 1000L;

  private final PaymentTerms terms;
  private final Eip712Domain domain;
  private final EthAddress payee;
  private final ChannelStore store;
  private final Ledger ledger;
  private final Clock clock;
  private final long expiryMarginSeconds;
  private final long reservationTtlMs;

  public ChannelValidator(EthAddress payee, ChannelStore store, Ledger ledger, Clock clock) {
    this(payee, store, ledger, clock, DEFAULT_EXPIRY_MARGIN_SECONDS, DEFAULT_RESERVATION_TTL_MS);
  }

  public ChannelValidator(
      EthAddress payee, ChannelStore store, Ledger ledger, Clock clock, long expiryMarginSeconds, long reservationTtlMs) {
    if (payee.isZero()) {
      throw new IllegalArgumentException("payee must not be the zero address");
    }
    this.payee = payee;
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
    this.terms = ledger.terms(payee);
    this.domain = ledger.domain();
    this.expiryMarginSeconds = expiryMarginSeconds;
    this.reservationTtlMs = reservationTtlMs;
  }

  /** The terms this seller advertises (SellerInfo.payment_terms). */
  public PaymentTerms terms() {
    return terms;
  }

  /** The frame to send when the buyer has not authorized anything yet. */
  public PaymentRequired initialPaymentRequired(Usdc maxCost) {
    return required(maxCost, null, maxCost);
  }

  /** Like {@link #admit(PaymentAuthorization, Rates, Usdc)} with wire types. */
  public PaymentAdmission admit(PaymentAuthorization auth, Pricing pricing, long maxCost) throws PaymentException {
    return admit(auth, Rates.fromProto(pricing), Usdc.fromWire(maxCost, "max_request_cost"));
  }

  /**
   * Validates an authorization and reserves {@code maxCost} on its channel.
   *
   * @param auth the buyer's latest PaymentAuthorization on this stream, or null if none
   * @throws PaymentException PAYMENT_REQUIRED (with the frame), PAYMENT_INVALID reasons, or
   *     CHANNEL_EXHAUSTED reasons
   */
  public PaymentAdmission admit(PaymentAuthorization auth, Rates rates, Usdc maxCost) throws PaymentException {
    if (auth == null || !auth.hasVoucher()) {
      throw PaymentException.paymentRequired(initialPaymentRequired(maxCost));
    }
    checkDomain(auth);
    SignedVoucher voucher = PaymentProtos.voucher(auth.getVoucher());
    ChannelId id = voucher.message().channelId();
    if (!voucher.message().payee().equals(payee)) {
      throw new PaymentException(Reason.WRONG_PAYEE, "payment.voucher.payee", "voucher pays another payee");
    }
    SignedChannelOpen open = auth.hasOpen() ? checkOpen(auth, id) : null;
    ChannelRecord rec = store.find(id).orElse(null);
    if (rec == null) {
      rec = adoptFromLedger(id, open);
    } else if (open != null && !open.message().signer().equals(rec.signer())) {
      throw new PaymentException(Reason.CHANNEL_MISMATCH, "payment.open.signer", "channel open names another signer");
    }
    long now = clock.instant().getEpochSecond();
    if (rec.closed() || rec.expiryUnix() - now < expiryMarginSeconds) {
      rec = refresh(rec); // a top-up may have extended the expiry
      if (rec.closed()) {
        throw new PaymentException(Reason.CHANNEL_CLOSED, "payment", "channel is closed");
      }
      if (rec.expiryUnix() - now < expiryMarginSeconds) {
        throw new PaymentException(Reason.CHANNEL_EXPIRED, "payment", "channel expires within the safety margin");
      }
    }
    voucher.verify(domain, rec.signer());
    if (voucher.message().cumulativeAmount().greaterThan(rec.deposit())) {
      rec = refresh(rec); // the top-up may have landed after we last looked
    }
    rec = store.acceptVoucher(id, voucher).record();
    String admissionId = Bytes.hex(SecureRandoms.bytes(16));
    ChannelStore.ReserveResult rr = store.reserve(id, admissionId, maxCost, clock.millis(), reservationTtlMs);
    if (!rr.reserved()) {
      throw PaymentException.paymentRequired(required(maxCost, rr.record(), maxCost.minus(rr.available())));
    }
    return new PaymentAdmission(admissionId, id, maxCost, rates, rr.record().lastSequence(), rr.record().authorized());
  }

  /**
   * Charges the metered usage of an admitted request: consumed += min(cost, credit left); the
   * unused part of the reservation stays as credit. Idempotent per admission.
   */
  public SettledPayment settle(PaymentAdmission admission, Usage usage) throws PaymentException {
    Usdc cost = admission.rates().cost(usage);
    ChannelStore.Charge c = store.settle(admission.channelId(), admission.admissionId(), cost);
    return new SettledPayment(admission.channelId(), c.charged(), cost, usage, c.record().lastSequence(),
        c.record().toState(), c.repeated());
  }

  /** Drops the reservation of a request that failed before the upstream produced anything. */
  public void release(PaymentAdmission admission) throws PaymentException {
    store.release(admission.channelId(), admission.admissionId());
  }

  /** The seller's record of a channel (for claims and diagnostics). */
  public Optional<ChannelRecord> channel(ChannelId id) throws PaymentException {
    return store.find(id);
  }

  private void checkDomain(PaymentAuthorization auth) throws PaymentException {
    if (auth.getChainId() != terms.getChainId()) {
      throw new PaymentException(Reason.WRONG_CHAIN, "payment.chain_id",
          "authorization is for chain " + Long.toUnsignedString(auth.getChainId()) + ", this seller is paid on " + terms.getChainId());
    }
    EthAddress contract = EthAddress.parse(auth.getEscrowContract(), "payment.escrow_contract");
    if (!contract.hex().equals(terms.getEscrowContract())) {
      throw new PaymentException(Reason.WRONG_CONTRACT, "payment.escrow_contract", "authorization names another escrow contract");
    }
  }

  private SignedChannelOpen checkOpen(PaymentAuthorization auth, ChannelId id) throws PaymentException {
    SignedChannelOpen open = PaymentProtos.open(auth.getOpen());
    if (!open.message().channelId().equals(id)) {
      throw new PaymentException(Reason.MALFORMED, "payment.open.channel_id", "channel open and voucher name different channels");
    }
    if (!open.message().payee().equals(payee)) {
      throw new PaymentException(Reason.WRONG_PAYEE, "payment.open.payee", "channel pays another payee");
    }
    open.verify(domain);
    return open;
  }

  private ChannelRecord adoptFromLedger(ChannelId id, SignedChannelOpen open) throws PaymentException {
    LedgerChannel lc = ledger.channel(id).orElseThrow(() -> new PaymentException(
        Reason.UNKNOWN_CHANNEL, "payment.voucher.channel_id", "channel is not funded on the ledger"));
    if (!lc.payee().equals(payee)) {
      throw new PaymentException(Reason.WRONG_PAYEE, "payment.voucher.channel_id", "the funded channel pays another payee");
    }
    if (open != null && (!open.message().signer().equals(lc.signer()) || open.message().maxAmount().greaterThan(lc.deposit()))) {
      throw new PaymentException(Reason.CHANNEL_MISMATCH, "payment.open", "channel open does not match the funded channel");
    }
    ChannelRecord rec = store.createIfAbsent(ChannelRecord.fresh(id, lc.signer(), lc.payee(), lc.deposit(), lc.expiryUnix()));
    if (lc.closed()) {
      rec = store.refreshFunding(id, lc.deposit(), lc.expiryUnix(), true);
    }
    return rec;
  }

  private ChannelRecord refresh(ChannelRecord rec) throws PaymentException {
    Optional<LedgerChannel> lc = ledger.channel(rec.id());
    if (lc.isEmpty()) {
      return rec;
    }
    return store.refreshFunding(rec.id(), lc.get().deposit(), lc.get().expiryUnix(), lc.get().closed());
  }

  private PaymentRequired required(Usdc maxCost, ChannelRecord rec, Usdc due) {
    return PaymentRequiredFrames.of(due, maxCost, rec, terms);
  }
}
