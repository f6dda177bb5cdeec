package org.openshard.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.testing.MutableClock;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.channel.ChannelKey;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.money.Usdc;

class InProcessLedgerTest {
  @TempDir Path dir;

  @Test
  void persistsAndEnforcesTheEscrowRules() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Path f = dir.resolve("ledger.json");
    InProcessLedger l = InProcessLedger.open(f, clock, 600);
    WalletKey payer = WalletKey.generate();
    WalletKey payee = WalletKey.generate();
    l.mint(payer.address(), Usdc.ofUnits(10_000));
    ChannelKey key = ChannelKey.generate();
    ChannelId id = ChannelId.random();
    long expiry = l.nowUnix() + 3600;
    l.open(payer, new ChannelOpenMessage(id, key.address(), payee.address(), Usdc.ofUnits(4_000), expiry));
    assertEquals(Reason.LEDGER_FAILED, assertThrows(PaymentException.class,
        () -> l.open(payer, new ChannelOpenMessage(id, key.address(), payee.address(), Usdc.ofUnits(1), expiry))).reason());
    assertEquals(Reason.CANNOT_PAY, assertThrows(PaymentException.class, () -> l.open(payer,
        new ChannelOpenMessage(ChannelId.random(), key.address(), payee.address(), Usdc.ofUnits(7_000), expiry))).reason());
    assertEquals(1_500, l.claim(payee, key.signVoucher(l.domain(),
        new VoucherMessage(id, payee.address(), Usdc.ofUnits(1_500), 1, Bytes32.ZERO))).units());

    InProcessLedger reloaded = InProcessLedger.open(f, clock, 600); // survives a restart
    assertEquals(1_500, reloaded.balanceOf(payee.address()).units());
    assertEquals(6_000, reloaded.balanceOf(payer.address()).units());
    assertEquals(1_500, reloaded.channel(id).orElseThrow().claimed().units());
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(PaymentException.class, () -> reloaded.claim(payee,
        ChannelKey.generate().signVoucher(reloaded.domain(),
            new VoucherMessage(id, payee.address(), Usdc.ofUnits(2_000), 2, Bytes32.ZERO)))).reason());
    clock.advance(Duration.ofSeconds(3600 + 600));
    assertEquals(Reason.CHANNEL_EXPIRED, assertThrows(PaymentException.class, () -> reloaded.claim(payee,
        key.signVoucher(reloaded.domain(), new VoucherMessage(id, payee.address(), Usdc.ofUnits(2_000), 2, Bytes32.ZERO)))).reason());
    assertEquals(2_500, reloaded.withdraw(payer, id).units());
    assertTrue(reloaded.channel(id).orElseThrow().closed());
    assertEquals(Reason.CHANNEL_CLOSED, assertThrows(PaymentException.class, () -> reloaded.withdraw(payer, id)).reason());
  }
}
