package org.openshard.payments.channel;

import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * The buyer's view of one of its channels (public part; the channel key stays inside {@link
 * BuyerChannels}). {@code cumulative}/{@code sequence} are those of the last voucher signed.
 */
public record BuyerChannel(
    ChannelId id,
    long chainId,
    EthAddress escrow,
    EthAddress payee,
    EthAddress signer,
    Usdc deposit,
    long expiryUnix,
    Usdc cumulative,
    long sequence,
    Status status,
    SignedChannelOpen open,
    SignedVoucher lastVoucher) {

  /** Lifecycle of a buyer channel. */
  public enum Status {
    /** Persisted with its key; the ledger open is in flight. */
    PENDING_OPEN,
    OPEN,
    /** Withdrawn after expiry. */
    CLOSED
  }

  /** deposit − cumulative: what more this channel can authorize without a top-up. */
  public Usdc headroom() {
    return deposit.saturatingMinus(cumulative);
  }
}
