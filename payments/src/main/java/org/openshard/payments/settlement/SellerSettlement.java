package org.openshard.payments.settlement;

import java.util.Optional;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.channel.ChannelRecord;
import org.openshard.payments.channel.ChannelStore;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;

/**
 * The seller's settlement: claims a channel with the <b>highest</b> voucher it holds (the store's
 * latest, always a VOUCHER-kind signature; never the channel-open authorization or an earlier
 * voucher). A claim that cannot succeed (already claimed up to that voucher, bad signature) is
 * reported as a typed outcome instead of being retried forever.
 */
public final class SellerSettlement {
  private final ChannelStore store;
  private final Ledger ledger;
  private final WalletKey submitter;

  public SellerSettlement(ChannelStore store, Ledger ledger, WalletKey submitter) {
    this.store = store;
    this.ledger = ledger;
    this.submitter = submitter;
  }

  /** The seller's channel store this settles from. */
  public ChannelStore store() {
    return store;
  }

  /** The ledger claims go to. */
  public Ledger ledger() {
    return ledger;
  }

  /** What a claim did. */
  public enum Outcome {
    /** Funds moved to the payee. */
    PAID,
    /** The ledger already paid up to this voucher; nothing to do (not an error, never retried). */
    ALREADY_CLAIMED,
    /** The channel has no voucher yet. */
    NO_VOUCHER
  }

  /** The result of {@link #claimHighest}. */
  public record ClaimResult(Outcome outcome, Usdc paid, SignedVoucher voucher) {}

  /**
   * What a channel stands at: its highest stored voucher (empty if none yet) and the ledger's record
   * of it (read only when there is a voucher). {@link #claim} acts on it without reading again.
   */
  public record Standing(ChannelId id, Optional<SignedVoucher> voucher, Optional<LedgerChannel> onLedger) {
    /** True if the ledger already paid up to the voucher (or there is none). */
    public boolean nothingToClaim() {
      return voucher.isEmpty() || (onLedger.isPresent() && onLedger.get().lastSequence() >= voucher.get().message().sequence());
    }
  }

  /**
   * Reads the channel's standing.
   *
   * @throws PaymentException UNKNOWN_CHANNEL if the store does not know it, LEDGER_FAILED if the
   *     ledger cannot be read
   */
  public Standing standing(ChannelId id) throws PaymentException {
    ChannelRecord rec = store.find(id).orElseThrow(() ->
        new PaymentException(Reason.UNKNOWN_CHANNEL, "channel_id", "channel is not known to this seller"));
    Optional<SignedVoucher> latest = rec.latest();
    return new Standing(id, latest, latest.isEmpty() ? Optional.empty() : ledger.channel(id));
  }

  /**
   * Claims {@code s}'s voucher unless there is nothing to claim.
   *
   * @throws PaymentException as {@link #claimHighest}
   */
  public ClaimResult claim(Standing s) throws PaymentException {
    if (s.voucher().isEmpty()) {
      return new ClaimResult(Outcome.NO_VOUCHER, Usdc.ZERO, null);
    }
    SignedVoucher v = s.voucher().get();
    if (s.nothingToClaim()) {
      return new ClaimResult(Outcome.ALREADY_CLAIMED, Usdc.ZERO, v);
    }
    return new ClaimResult(Outcome.PAID, ledger.claim(submitter, v), v);
  }

  /**
   * Claims the channel with the highest stored voucher.
   *
   * @throws PaymentException BAD_SIGNATURE (permanent: do not retry), CHANNEL_EXPIRED (claim window
   *     over), LEDGER_FAILED (transient: retry later)
   */
  public ClaimResult claimHighest(ChannelId id) throws PaymentException {
    return claim(standing(id));
  }
}
