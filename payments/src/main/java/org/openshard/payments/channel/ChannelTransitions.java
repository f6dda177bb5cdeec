package org.openshard.payments.channel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * The channel state machine as pure functions, applied under a lock by {@link FileChannelStore}. The
 * Redis store's Lua scripts implement the same rules; one contract test runs against both.
 */
final class ChannelTransitions {
  /** Settled ids remembered per channel in a file (oldest dropped first). */
  static final int MAX_SETTLED = 4096;

  private ChannelTransitions() {}

  static ChannelRecord refreshFunding(ChannelRecord r, Usdc deposit, long expiry, boolean closed) {
    return r.with(r.deposit().max(deposit), Math.max(r.expiryUnix(), expiry), r.closed() || closed, r.authorized(),
        r.consumed(), r.reserved(), r.lastSequence(), r.latestVoucher(), r.reservations());
  }

  static ChannelStore.VoucherAcceptance acceptVoucher(ChannelRecord r, SignedVoucher v) throws PaymentException {
    if (r.closed()) {
      throw new PaymentException(Reason.CHANNEL_CLOSED, "payment.voucher", "channel is closed");
    }
    if (r.latestVoucher() != null && r.latestVoucher().sameAs(v)) {
      return new ChannelStore.VoucherAcceptance(r, true);
    }
    long seq = v.message().sequence();
    Usdc cum = v.message().cumulativeAmount();
    if (seq <= r.lastSequence()) {
      throw new PaymentException(Reason.STALE_VOUCHER, "payment.voucher.sequence",
          "voucher sequence " + seq + " is not above " + r.lastSequence());
    }
    if (!cum.greaterThan(r.authorized())) {
      throw new PaymentException(Reason.STALE_VOUCHER, "payment.voucher.cumulative_amount",
          "voucher amount does not increase the authorized total");
    }
    if (cum.greaterThan(r.deposit())) {
      throw new PaymentException(Reason.ABOVE_DEPOSIT, "payment.voucher.cumulative_amount",
          "voucher amount " + cum.units() + " is above the deposit " + r.deposit().units());
    }
    return new ChannelStore.VoucherAcceptance(
        r.with(r.deposit(), r.expiryUnix(), r.closed(), cum, r.consumed(), r.reserved(), seq, v, r.reservations()), false);
  }

  static ChannelStore.ReserveResult reserve(ChannelRecord r, String admissionId, Usdc amount, long nowMs, long ttlMs) {
    Map<String, Reservation> res = new LinkedHashMap<>(r.reservations());
    Usdc reserved = r.reserved();
    for (Iterator<Map.Entry<String, Reservation>> it = res.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Reservation> e = it.next();
      if (e.getValue().createdAtMs() + ttlMs < nowMs) {
        reserved = reserved.saturatingMinus(e.getValue().amount());
        it.remove();
      }
    }
    ChannelRecord purged = r.with(r.deposit(), r.expiryUnix(), r.closed(), r.authorized(), r.consumed(), reserved,
        r.lastSequence(), r.latestVoucher(), res);
    if (res.containsKey(admissionId)) {
      return new ChannelStore.ReserveResult(purged, true, purged.available());
    }
    Usdc available = purged.available();
    if (amount.greaterThan(available)) {
      return new ChannelStore.ReserveResult(purged, false, available);
    }
    res.put(admissionId, new Reservation(amount, nowMs));
    return new ChannelStore.ReserveResult(
        r.with(r.deposit(), r.expiryUnix(), r.closed(), r.authorized(), r.consumed(), reserved.plus(amount),
            r.lastSequence(), r.latestVoucher(), res),
        true, available);
  }

  /** Returns the new record and the charge; {@code settled} is updated in place. */
  static ChannelStore.Charge settle(ChannelRecord r, Map<String, Usdc> settled, String admissionId, Usdc cost)
      throws PaymentException {
    Usdc before = settled.get(admissionId);
    if (before != null) {
      return new ChannelStore.Charge(before, r, true);
    }
    Reservation mine = r.reservations().get(admissionId);
    if (mine == null) {
      throw new PaymentException(Reason.UNKNOWN_ADMISSION, "admission", "no reservation for this admission");
    }
    Map<String, Reservation> res = new LinkedHashMap<>(r.reservations());
    res.remove(admissionId);
    Usdc others = r.reserved().saturatingMinus(mine.amount());
    Usdc room = r.authorized().saturatingMinus(r.consumed()).saturatingMinus(others);
    Usdc charged = cost.min(room);
    settled.put(admissionId, charged);
    while (settled.size() > MAX_SETTLED) {
      settled.remove(settled.keySet().iterator().next());
    }
    ChannelRecord n = r.with(r.deposit(), r.expiryUnix(), r.closed(), r.authorized(), r.consumed().plus(charged), others,
        r.lastSequence(), r.latestVoucher(), res);
    return new ChannelStore.Charge(charged, n, false);
  }

  static ChannelRecord release(ChannelRecord r, String admissionId) {
    Reservation mine = r.reservations().get(admissionId);
    if (mine == null) {
      return r;
    }
    Map<String, Reservation> res = new LinkedHashMap<>(r.reservations());
    res.remove(admissionId);
    return r.with(r.deposit(), r.expiryUnix(), r.closed(), r.authorized(), r.consumed(),
        r.reserved().saturatingMinus(mine.amount()), r.lastSequence(), r.latestVoucher(), res);
  }

  static PaymentException unknown(ChannelId id) {
    return new PaymentException(Reason.UNKNOWN_CHANNEL, "payment.voucher.channel_id", "channel is not known to this seller");
  }
}
