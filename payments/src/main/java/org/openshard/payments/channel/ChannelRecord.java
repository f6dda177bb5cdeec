package org.openshard.payments.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChannelState;

/**
 * The seller's persisted view of one channel. Invariants: {@code consumed + reserved ≤ authorized ≤
 * deposit}; {@code latestVoucher} is the voucher that set {@code authorized} (the one to claim with).
 * Immutable; stores replace it atomically.
 */
public record ChannelRecord(
    ChannelId id,
    EthAddress signer,
    EthAddress payee,
    Usdc deposit,
    long expiryUnix,
    boolean closed,
    Usdc authorized,
    Usdc consumed,
    Usdc reserved,
    long lastSequence,
    SignedVoucher latestVoucher,
    Map<String, Reservation> reservations) {

  public ChannelRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(deposit, "deposit");
    Objects.requireNonNull(authorized, "authorized");
    Objects.requireNonNull(consumed, "consumed");
    Objects.requireNonNull(reserved, "reserved");
    reservations = Collections.unmodifiableMap(new LinkedHashMap<>(reservations));
  }

  /** A fresh channel: nothing authorized yet. */
  public static ChannelRecord fresh(ChannelId id, EthAddress signer, EthAddress payee, Usdc deposit, long expiryUnix) {
    return new ChannelRecord(id, signer, payee, deposit, expiryUnix, false, Usdc.ZERO, Usdc.ZERO, Usdc.ZERO, 0, null, Map.of());
  }

  public Optional<SignedVoucher> latest() {
    return Optional.ofNullable(latestVoucher);
  }

  /** authorized − consumed − reserved: credit a new request may reserve. */
  public Usdc available() {
    return authorized.saturatingMinus(consumed).saturatingMinus(reserved);
  }

  /** The wire view. */
  public ChannelState toState() {
    return ChannelState.newBuilder()
        .setChannelId(com.google.protobuf.ByteString.copyFrom(id.toBytes()))
        .setDeposit(deposit.units())
        .setAuthorized(authorized.units())
        .setConsumed(consumed.units())
        .setLastSequence(lastSequence)
        .setExpiryUnix(expiryUnix)
        .build();
  }

  ChannelRecord with(Usdc deposit, long expiryUnix, boolean closed, Usdc authorized, Usdc consumed, Usdc reserved,
      long lastSequence, SignedVoucher latest, Map<String, Reservation> reservations) {
    return new ChannelRecord(id, signer, payee, deposit, expiryUnix, closed, authorized, consumed, reserved, lastSequence,
        latest, reservations);
  }
}
