package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Optional;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.ChannelId;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.settlement.AutoSettler;
import org.openshard.payments.settlement.AutoSettler.Decision;
import org.openshard.payments.settlement.SellerSettlement;
import org.openshard.testing.Await;

class AutoSettlerTest {
  private static final long DAY = 24 * 3600;

  @TempDir Path dir;
  PaymentWorld w;

  @BeforeEach
  void setUp() throws Exception {
    w = new PaymentWorld(dir);
  }

  /** A channel opened on the ledger, expiring in {@code days}, admitted by the seller up to {@code cumulative}. */
  PaymentWorld.RawChannel channel(long deposit, long days, long cumulative) throws Exception {
    PaymentWorld.RawChannel c = w.rawChannel(deposit, days * DAY);
    pay(c, cumulative, 1, true);
    return c;
  }

  void pay(PaymentWorld.RawChannel c, long cumulative, long seq, boolean withOpen) throws Exception {
    w.seller.release(w.seller.admit(w.auth(c, cumulative, seq, withOpen), w.rates, Usdc.ofUnits(1)));
  }

  AutoSettler settler(long minClaimUnits, Duration margin) {
    return new AutoSettler(new SellerSettlement(w.store, w.ledger, w.sellerWallet),
        new AutoSettler.Policy(Duration.ofMinutes(10), Usdc.ofUnits(minClaimUnits), margin));
  }

  static Map<ChannelId, AutoSettler.ChannelResult> byChannel(List<AutoSettler.ChannelResult> round) {
    return round.stream().collect(Collectors.toMap(AutoSettler.ChannelResult::channel, r -> r));
  }

  @Test
  void claimsWhatReachedTheMinimumDefersTheRestAndNeverClaimsTwice() throws Exception {
    PaymentWorld.RawChannel big = channel(1_000_000, 7, 600_000);
    PaymentWorld.RawChannel small = channel(1_000_000, 7, 4_000);
    AutoSettler s = settler(350_000, Duration.ofHours(1));

    Map<ChannelId, AutoSettler.ChannelResult> r1 = byChannel(s.runOnce());
    assertEquals(Decision.CLAIMED, r1.get(big.id()).decision());
    assertEquals(600_000, r1.get(big.id()).amount().units());
    assertEquals(Decision.DEFERRED, r1.get(small.id()).decision());
    assertEquals(4_000, r1.get(small.id()).amount().units(), "what is waiting");
    assertEquals(600_000, w.ledger.balanceOf(w.payee).units());

    // Nothing new: no claim is submitted again.
    Map<ChannelId, AutoSettler.ChannelResult> r2 = byChannel(s.runOnce());
    assertEquals(Decision.NOTHING_TO_CLAIM, r2.get(big.id()).decision());
    assertEquals(600_000, w.ledger.balanceOf(w.payee).units());

    // More vouchers on the big channel: only the increment counts toward the minimum.
    pay(big, 900_000, 2, false);
    assertEquals(Decision.DEFERRED, byChannel(s.runOnce()).get(big.id()).decision(), "300,000 new is under the 350,000 minimum");
    pay(big, 1_000_000, 3, false);
    Map<ChannelId, AutoSettler.ChannelResult> r3 = byChannel(s.runOnce());
    assertEquals(Decision.CLAIMED, r3.get(big.id()).decision());
    assertEquals(400_000, r3.get(big.id()).amount().units());
    assertEquals(1_000_000, w.ledger.balanceOf(w.payee).units());
  }

  @Test
  void anyAmountIsClaimedOnceTheDeadlineIsNear() throws Exception {
    PaymentWorld.RawChannel c = channel(1_000_000, 1, 4_000); // expires in a day; deadline = expiry + 3,600 s window
    AutoSettler s = settler(500_000, Duration.ofHours(2));
    assertEquals(Decision.DEFERRED, byChannel(s.runOnce()).get(c.id()).decision());
    w.clock.advance(Duration.ofSeconds(DAY + 3_600 - 2 * 3_600)); // exactly at deadline − margin
    AutoSettler.ChannelResult r = byChannel(s.runOnce()).get(c.id());
    assertEquals(Decision.CLAIMED, r.decision());
    assertEquals(4_000, r.amount().units());
    assertEquals(4_000, w.ledger.balanceOf(w.payee).units());
  }

  @Test
  void pastTheDeadlineNothingIsSubmittedAndWithdrawnChannelsAreLeftAlone() throws Exception {
    PaymentWorld.RawChannel late = channel(1_000_000, 1, 700_000);
    PaymentWorld.RawChannel withdrawn = channel(1_000_000, 1, 800_000);
    AutoSettler s = settler(500_000_000, Duration.ZERO); // a minimum nothing reaches
    w.clock.advance(Duration.ofSeconds(DAY + 3_600));
    w.ledger.withdraw(w.buyerWallet, withdrawn.id());
    PaymentWorld.RawChannel fresh = channel(1_000_000, 7, 600_000);
    Map<ChannelId, AutoSettler.ChannelResult> r = byChannel(s.runOnce());
    assertEquals(Decision.EXPIRED, r.get(late.id()).decision());
    assertEquals(700_000, r.get(late.id()).amount().units(), "what was lost");
    assertEquals(Decision.NOT_CLAIMABLE, r.get(withdrawn.id()).decision());
    assertEquals(Decision.DEFERRED, r.get(fresh.id()).decision());
    assertEquals(0, w.ledger.balanceOf(w.payee).units());
  }

  @Test
  void aFailedClaimIsReportedAndTheRoundGoesOn() throws Exception {
    PaymentWorld.RawChannel bad = channel(1_000_000, 7, 600_000);
    PaymentWorld.RawChannel good = channel(1_000_000, 7, 700_000);
    // The ledger connection fails for this channel's claim: FAILED, tried again next round; the
    // other channel is still claimed.
    Ledger flaky = new FailingClaims(w.ledger, bad.id());
    SellerSettlement failing = new SellerSettlement(w.store, flaky, w.sellerWallet);
    AutoSettler s = new AutoSettler(failing, new AutoSettler.Policy(Duration.ofMinutes(1), Usdc.ofUnits(1), Duration.ZERO));
    Map<ChannelId, AutoSettler.ChannelResult> r = byChannel(s.runOnce());
    assertEquals(Decision.FAILED, r.get(bad.id()).decision());
    assertEquals(Decision.CLAIMED, r.get(good.id()).decision());
    assertEquals(700_000, w.ledger.balanceOf(w.payee).units());
    AutoSettler again = settler(1, Duration.ZERO);
    assertEquals(Decision.CLAIMED, byChannel(again.runOnce()).get(bad.id()).decision(), "claimed on a later round");
    assertEquals(1_300_000, w.ledger.balanceOf(w.payee).units());
  }

  @Test
  void theScheduleRunsRoundsUntilClosed() throws Exception {
    PaymentWorld.RawChannel c = channel(1_000_000, 7, 600_000);
    AutoSettler s = new AutoSettler(new SellerSettlement(w.store, w.ledger, w.sellerWallet),
        new AutoSettler.Policy(Duration.ofMillis(50), Usdc.ofUnits(1), Duration.ZERO));
    s.start();
    try {
      Await.until(Duration.ofSeconds(10), () -> w.ledger.balanceOf(w.payee).units() == 600_000, "the scheduled round's claim");
    } finally {
      s.close();
    }
    assertEquals(600_000, w.ledger.channel(c.id()).orElseThrow().claimed().units());
  }

  @Test
  void policyRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new AutoSettler.Policy(Duration.ZERO, Usdc.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new AutoSettler.Policy(Duration.ofMinutes(1), Usdc.ZERO, Duration.ofSeconds(-1)));
  }

  /** The ledger, except that claims on one channel fail as an unreachable chain would. */
  private static final class FailingClaims implements Ledger {
    private final Ledger d;
    private final ChannelId failing;

    FailingClaims(Ledger d, ChannelId failing) {
      this.d = d;
      this.failing = failing;
    }

    @Override
    public Usdc claim(WalletKey submitter, SignedVoucher voucher) throws PaymentException {
      if (voucher.message().channelId().equals(failing)) {
        throw new PaymentException(PaymentException.Reason.LEDGER_FAILED, "chain", "rpc down");
      }
      return d.claim(submitter, voucher);
    }

    @Override
    public long chainId() {
      return d.chainId();
    }

    @Override
    public EthAddress escrowContract() {
      return d.escrowContract();
    }

    @Override
    public EthAddress token() {
      return d.token();
    }

    @Override
    public long challengeWindowSeconds() {
      return d.challengeWindowSeconds();
    }

    @Override
    public long nowUnix() throws PaymentException {
      return d.nowUnix();
    }

    @Override
    public Optional<LedgerChannel> channel(ChannelId id) throws PaymentException {
      return d.channel(id);
    }

    @Override
    public LedgerChannel open(WalletKey payer, ChannelOpenMessage open) throws PaymentException {
      return d.open(payer, open);
    }

    @Override
    public LedgerChannel topUp(WalletKey payer, ChannelId id, Usdc amount, long newExpiryUnix) throws PaymentException {
      return d.topUp(payer, id, amount, newExpiryUnix);
    }

    @Override
    public Usdc withdraw(WalletKey payer, ChannelId id) throws PaymentException {
      return d.withdraw(payer, id);
    }

    @Override
    public Usdc balanceOf(EthAddress owner) throws PaymentException {
      return d.balanceOf(owner);
    }

    @Override
    public void close() {}
  }
}
