package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Bytes;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChannelState;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.PaymentTerms;

class BuyerChannelsTest {
  @TempDir Path dir;
  PaymentWorld w;

  @BeforeEach
  void setUp() throws Exception {
    w = new PaymentWorld(dir);
  }

  PaymentRequired required(PaymentTerms terms, long due, long maxCost) {
    return PaymentRequired.newBuilder().setAmountDue(due).setMaxRequestCost(maxCost).setTerms(terms)
        .setChannel(ChannelState.getDefaultInstance()).build();
  }

  @Test
  void opensOneChannelPerPayeeSignedByAChannelKeyNeverTheWallet() throws Exception {
    PaymentTerms other = w.ledger.terms(WalletKey.generate().address());
    PaymentAuthorization a = w.buyer.negotiate(w.terms(), Usdc.ofUnits(1_000)).respond(required(w.terms(), 1_000, 1_000));
    PaymentAuthorization b = w.buyer.negotiate(other, Usdc.ofUnits(1_000)).respond(required(other, 1_000, 1_000));
    assertNotEquals(a.getVoucher().getChannelId(), b.getVoucher().getChannelId());
    assertEquals(2, w.buyer.channels().size());
    BuyerChannel ca = w.buyer.channel(w.terms()).orElseThrow();
    BuyerChannel cb = w.buyer.channel(other).orElseThrow();
    assertNotEquals(ca.signer(), cb.signer(), "a fresh key per channel");
    assertNotEquals(w.buyerWallet.address(), ca.signer());
    PaymentProtos.voucher(a.getVoucher()).verify(w.ledger.domain(), ca.signer());
    assertEquals(ca.signer(), PaymentProtos.voucher(a.getVoucher()).signature()
        .recover(PaymentProtos.voucher(a.getVoucher()).message().digest(w.ledger.domain())));
    // the wallet address appears nowhere in what the seller receives
    String wire = Bytes.hex(a.toByteArray());
    assertFalse(wire.contains(w.buyerWallet.address().hex().substring(2)));
    assertFalse(new String(a.toByteArray(), StandardCharsets.ISO_8859_1).toLowerCase().contains(w.buyerWallet.address().hex().substring(2)));
    assertTrue(a.hasOpen(), "the first authorization carries the channel open");
    assertEquals(32, a.getVoucher().getChannelId().size());
  }

  @Test
  void stateIsPersistedOwnerOnlyAndSurvivesARestart() throws Exception {
    PaymentAuthorization a = w.buyer.authorize(w.terms(), Usdc.ofUnits(700));
    Path f = dir.resolve("buyer.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    w.restartBuyer();
    BuyerChannel c = w.buyer.channel(w.terms()).orElseThrow();
    assertEquals(700, c.cumulative().units());
    assertEquals(1, c.sequence());
    PaymentAuthorization next = w.buyer.authorize(w.terms(), Usdc.ofUnits(300));
    assertEquals(2, next.getVoucher().getSequence());
    assertEquals(1_000, next.getVoucher().getCumulativeAmount());
    assertEquals(a.getVoucher().getChannelId(), next.getVoucher().getChannelId());
    PaymentProtos.voucher(next.getVoucher()).verify(w.ledger.domain(), c.signer()); // the restored key signs
  }

  @Test
  void roundsPerRequestAreBounded() throws Exception {
    BuyerChannels.Negotiation n = w.buyer.negotiate(w.terms(), Usdc.ofUnits(1_000));
    for (int i = 0; i < BuyerPolicy.defaults().maxRoundsPerRequest(); i++) {
      n.respond(required(w.terms(), 10, 1_000));
    }
    PaymentException e = assertThrows(PaymentException.class, () -> n.respond(required(w.terms(), 10, 1_000)));
    assertEquals(Reason.CANNOT_PAY, e.reason());
  }

  @Test
  void refusesCostsAboveTheBuyersLimitAndInconsistentFrames() throws Exception {
    assertEquals(Reason.COST_LIMIT, assertThrows(PaymentException.class,
        () -> w.buyer.negotiate(w.terms(), Usdc.ofUnits(500)).respond(required(w.terms(), 600, 600))).reason());
    assertEquals(Reason.MALFORMED, assertThrows(PaymentException.class,
        () -> w.buyer.negotiate(w.terms(), Usdc.ofUnits(5_000)).respond(required(w.terms(), 900, 600))).reason());
    PaymentTerms otherChain = w.terms().toBuilder().setChainId(8453).build();
    assertEquals(Reason.WRONG_CHAIN, assertThrows(PaymentException.class,
        () -> w.buyer.negotiate(w.terms(), Usdc.ofUnits(5_000)).respond(required(otherChain, 1, 1))).reason());
    PaymentTerms otherEscrow = w.terms().toBuilder().setEscrowContract("0x9999999999999999999999999999999999999999").build();
    assertEquals(Reason.WRONG_CONTRACT, assertThrows(PaymentException.class,
        () -> w.buyer.negotiate(w.terms(), Usdc.ofUnits(5_000)).respond(required(otherEscrow, 1, 1))).reason());
    // a seller claiming more authorization than was ever signed
    PaymentAuthorization a = w.buyer.authorize(w.terms(), Usdc.ofUnits(100));
    PaymentRequired lying = required(w.terms(), 10, 100).toBuilder().setChannel(ChannelState.newBuilder()
        .setChannelId(a.getVoucher().getChannelId()).setAuthorized(5_000)).build();
    assertEquals(Reason.MALFORMED, assertThrows(PaymentException.class,
        () -> w.buyer.negotiate(w.terms(), Usdc.ofUnits(5_000)).respond(lying)).reason());
  }

  @Test
  void topsUpWhenTheDepositIsShortAndReportsWhenItCannotPay() throws Exception {
    w.buyer.authorize(w.terms(), Usdc.ofUnits(4_900_000));
    BuyerChannel before = w.buyer.channel(w.terms()).orElseThrow();
    assertEquals(5_000_000, before.deposit().units());
    w.buyer.authorize(w.terms(), Usdc.ofUnits(200_000));
    BuyerChannel after = w.buyer.channel(w.terms()).orElseThrow();
    assertEquals(10_000_000, after.deposit().units());
    assertEquals(10_000_000, w.ledger.channel(after.id()).orElseThrow().deposit().units());
    // the per-channel cap (50 USDC) stops further authorization: the buyer must move on
    PaymentException e = assertThrows(PaymentException.class, () -> w.buyer.authorize(w.terms(), Usdc.ofUnits(46_000_000)));
    assertEquals(Reason.CANNOT_PAY, e.reason());
    assertEquals(5_100_000, w.buyer.channel(w.terms()).orElseThrow().cumulative().units(), "a refused authorization signs nothing");
    assertFalse(w.buyer.canPay(w.terms(), Usdc.ofUnits(46_000_000)));
    assertTrue(w.buyer.canPay(w.terms(), Usdc.ofUnits(1_000_000)));
  }

  @Test
  void anEmptyWalletCannotOpenAChannel() throws Exception {
    BuyerChannels poor = BuyerChannels.open(dir.resolve("poor.json"), w.ledger, WalletKey.generate(), BuyerPolicy.defaults(),
        w.clock);
    PaymentException e = assertThrows(PaymentException.class,
        () -> poor.negotiate(w.terms(), Usdc.ofUnits(1_000)).respond(required(w.terms(), 1_000, 1_000)));
    assertEquals(Reason.CANNOT_PAY, e.reason());
    assertTrue(poor.channels().isEmpty(), "a channel that was never funded is forgotten");
  }

  @Test
  void withdrawsTheRestAfterExpiryAndTheChallengeWindow() throws Exception {
    PaymentAuthorization a = w.buyer.authorize(w.terms(), Usdc.ofUnits(1_000));
    ChannelId id = ChannelId.of(a.getVoucher().getChannelId().toByteArray());
    w.ledger.claim(w.sellerWallet, PaymentProtos.voucher(a.getVoucher()));
    assertEquals(Reason.LEDGER_FAILED, assertThrows(PaymentException.class, () -> w.buyer.withdraw(id)).reason());
    BuyerChannel c = w.buyer.channel(w.terms()).orElseThrow();
    w.clock.advance(java.time.Duration.ofSeconds(c.expiryUnix() - w.ledger.nowUnix() + w.ledger.challengeWindowSeconds()));
    long balance = w.ledger.balanceOf(w.buyerWallet.address()).units();
    assertEquals(5_000_000 - 1_000, w.buyer.withdraw(id).units());
    assertEquals(balance + 4_999_000, w.ledger.balanceOf(w.buyerWallet.address()).units());
    assertEquals(BuyerChannel.Status.CLOSED, w.buyer.channels().get(0).status());
  }
}
