package org.openshard.payments.channel;

import java.util.Optional;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * The seller's persisted channel state. Every method is one atomic transition (file lock + atomic
 * replace, or one Redis Lua script), so concurrent requests on a channel can never spend the same
 * credit, and a new store instance on the same file or Redis (a seller restart) sees every change.
 * Signatures are checked by {@link ChannelValidator} before a transition is attempted.
 */
public interface ChannelStore extends AutoCloseable {
  /** How long settled admission ids are remembered (idempotent settle), milliseconds. */
  long SETTLED_MEMORY_MS = 7L * 24 * 3600 * 1000;

  Optional<ChannelRecord> find(ChannelId id) throws PaymentException;

  /** Every channel this store holds a record of, in no particular order (for settlement). */
  java.util.List<ChannelId> channelIds() throws PaymentException;

  /** Stores {@code fresh} unless the channel exists; returns the stored record (never resets state). */
  ChannelRecord createIfAbsent(ChannelRecord fresh) throws PaymentException;

  /** Applies the ledger's view: the deposit only grows, the expiry only extends, closed is sticky. */
  ChannelRecord refreshFunding(ChannelId id, Usdc deposit, long expiryUnix, boolean closed) throws PaymentException;

  /**
   * Raises {@code authorized} to the voucher's cumulative amount. An identical resend of the latest
   * voucher is accepted without change; otherwise amount and sequence must strictly increase and
   * the amount must not exceed the deposit.
   *
   * @throws PaymentException STALE_VOUCHER, ABOVE_DEPOSIT, CHANNEL_CLOSED, UNKNOWN_CHANNEL
   */
  VoucherAcceptance acceptVoucher(ChannelId id, SignedVoucher voucher) throws PaymentException;

  /**
   * Reserves {@code amount} for {@code admissionId} if the available credit covers it. Reservations
   * older than {@code reservationTtlMs} are released first. Reserving an id twice is a no-op.
   */
  ReserveResult reserve(ChannelId id, String admissionId, Usdc amount, long nowMs, long reservationTtlMs)
      throws PaymentException;

  /**
   * Settles an admission: drops its reservation and charges min(cost, credit left after the other
   * reservations). Settling the same id again returns the first charge (never charges twice).
   *
   * @throws PaymentException UNKNOWN_ADMISSION if the id was never reserved (or was released)
   */
  Charge settle(ChannelId id, String admissionId, Usdc cost) throws PaymentException;

  /** Drops a reservation without charging (the request failed before upstream). */
  ChannelRecord release(ChannelId id, String admissionId) throws PaymentException;

  @Override
  void close();

  /** The outcome of {@link #acceptVoucher}. */
  record VoucherAcceptance(ChannelRecord record, boolean resend) {}

  /** The outcome of {@link #reserve}: reserved or not, and the credit that was available. */
  record ReserveResult(ChannelRecord record, boolean reserved, Usdc available) {}

  /** The outcome of {@link #settle}. */
  record Charge(Usdc charged, ChannelRecord record, boolean repeated) {}
}
