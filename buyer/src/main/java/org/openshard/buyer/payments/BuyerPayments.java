package org.openshard.buyer.payments;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.buyer.BuyerException;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.channel.BuyerChannel;
import org.openshard.payments.channel.BuyerChannels;
import org.openshard.payments.channel.BuyerPolicy;
import org.openshard.payments.channel.PaymentProtos;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.receipts.ReceiptBook;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SignedReceipt;

/**
 * The buyer's side of in-stream payment (docs/protocol.md section 9): answers a seller's {@code
 * PaymentRequired} with a {@code PaymentAuthorization} on the same stream through {@link
 * BuyerChannels} (channel open the first time, then cumulative vouchers; the envelope is never
 * re-sent), re-presents the channel's latest voucher right after the envelope once the seller's
 * terms are known (so a request covered by remaining credit needs no extra round), and keeps the
 * sellers' signed receipts in a {@link ReceiptBook}. Thread-safe.
 */
public final class BuyerPayments implements AutoCloseable {
  private final Ledger ledger;
  private final BuyerChannels channels;
  private final ReceiptBook receipts;
  private final boolean ownsLedger;
  private final Map<String, PaymentTerms> termsByPeer = new ConcurrentHashMap<>();

  private BuyerPayments(Ledger ledger, BuyerChannels channels, ReceiptBook receipts, boolean ownsLedger) {
    this.ledger = ledger;
    this.channels = channels;
    this.receipts = receipts;
    this.ownsLedger = ownsLedger;
  }

  /**
   * Opens the channel state file (created mode 0600) and the receipt book beside it ({@code
   * <channelsFile>.receipts}).
   *
   * @param ledger shared with other components (not closed by {@link #close()})
   */
  public static BuyerPayments open(Ledger ledger, WalletKey wallet, Path channelsFile, BuyerPolicy policy, Clock clock)
      throws PaymentException {
    return open(ledger, wallet, channelsFile, policy, clock, false);
  }

  /** Like {@link #open(Ledger, WalletKey, Path, BuyerPolicy, Clock)}; {@code ownsLedger} closes it on close. */
  public static BuyerPayments open(
      Ledger ledger, WalletKey wallet, Path channelsFile, BuyerPolicy policy, Clock clock, boolean ownsLedger)
      throws PaymentException {
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(wallet, "wallet");
    Path abs = channelsFile.toAbsolutePath();
    BuyerChannels ch = BuyerChannels.open(abs, ledger, wallet, policy, clock);
    ReceiptBook book = ReceiptBook.open(abs.resolveSibling(abs.getFileName() + ".receipts"));
    return new BuyerPayments(ledger, ch, book, ownsLedger);
  }

  public Ledger ledger() {
    return ledger;
  }

  public BuyerChannels channels() {
    return channels;
  }

  public ReceiptBook receipts() {
    return receipts;
  }

  /** Starts the payment side of one attempt with {@code peerId}. */
  public Session session(String peerId, Usdc buyerMaxCost) {
    return new Session(peerId, buyerMaxCost);
  }

  /** One attempt's payment rounds with one seller. */
  public final class Session {
    private final String peer;
    private final Usdc maxCost;
    private BuyerChannels.Negotiation negotiation;
    private PaymentTerms terms;

    private Session(String peer, Usdc maxCost) {
      this.peer = peer;
      this.maxCost = maxCost;
      this.terms = termsByPeer.get(peer);
    }

    /**
     * The frame to send right after the envelope: the channel's latest voucher (and its open) if
     * this buyer already pays this seller through a channel; empty otherwise.
     */
    public Optional<PaymentAuthorization> prepaid() {
      if (terms == null) {
        return Optional.empty();
      }
      try {
        Optional<BuyerChannel> c = channels.channel(terms);
        if (c.isEmpty() || c.get().lastVoucher() == null) {
          return Optional.empty();
        }
        PaymentAuthorization.Builder b = PaymentAuthorization.newBuilder()
            .setVoucher(PaymentProtos.toProto(c.get().lastVoucher()))
            .setChainId(c.get().chainId())
            .setEscrowContract(c.get().escrow().hex());
        if (c.get().open() != null) {
          b.setOpen(PaymentProtos.toProto(c.get().open()));
        }
        return Optional.of(b.build());
      } catch (PaymentException e) {
        return Optional.empty();
      }
    }

    /**
     * Answers a PaymentRequired.
     *
     * @throws BuyerException with the payment error code (CHANNEL_EXHAUSTED when this seller cannot
     *     be paid, PAYMENT_INVALID when its frame is inconsistent or too expensive): retryable, so
     *     the caller moves on to another seller before the first token
     */
    public PaymentAuthorization respond(PaymentRequired required) throws BuyerException {
      try {
        if (negotiation == null) {
          if (!required.hasTerms()) {
            throw BuyerException.retryable(
                org.openshard.proto.v1.ErrorCode.PAYMENT_INVALID, "PaymentRequired carries no payment terms");
          }
          terms = required.getTerms();
          negotiation = channels.negotiate(terms, maxCost);
        }
        PaymentAuthorization auth = negotiation.respond(required);
        termsByPeer.put(peer, terms);
        return auth;
      } catch (PaymentException e) {
        throw toBuyer(e);
      }
    }

    /** Whether this attempt answered at least one PaymentRequired. */
    public int rounds() {
      return negotiation == null ? 0 : negotiation.rounds();
    }

    /**
     * Stores a receipt already verified against this seller. Checks that the charges on the
     * channel stay within what this buyer authorized.
     */
    public Receipt record(SignedReceipt signed, Receipt receipt, Usdc requestMaxCost) throws BuyerException {
      if (receipt.getChannelId().isEmpty() || terms == null) {
        return receipt; // a free offering: nothing was paid
      }
      try {
        ChannelId id = ChannelId.of(receipt.getChannelId().toByteArray());
        Usdc authorized = Usdc.ZERO;
        for (BuyerChannel c : channels.channels()) {
          if (c.id().equals(id)) {
            authorized = c.cumulative();
          }
        }
        Usdc limit = requestMaxCost.isZero() ? authorized : requestMaxCost;
        return receipts.record(signed, peer, id, limit, authorized);
      } catch (PaymentException e) {
        throw BuyerException.of(org.openshard.proto.v1.ErrorCode.PAYMENT_INVALID, "seller receipt refused: " + e.getMessage());
      }
    }
  }

  static BuyerException toBuyer(PaymentException e) {
    BuyerException b = e.reason().retryable() || e.errorCode() == org.openshard.proto.v1.ErrorCode.PAYMENT_INVALID
        ? BuyerException.retryable(e.errorCode(), "payment: " + e.getMessage())
        : BuyerException.of(e.errorCode(), "payment: " + e.getMessage());
    return b.withMetadata("payment_reason", e.reason().name());
  }

  @Override
  public void close() {
    if (ownsLedger) {
      ledger.close();
    }
  }
}
