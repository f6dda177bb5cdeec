package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.Voucher;

class ChannelValidatorTest {
  @TempDir Path dir;
  PaymentWorld w;

  @BeforeEach
  void setUp() throws Exception {
    w = new PaymentWorld(dir);
  }

  /** Runs the negotiation until admitted; returns the admission. */
  PaymentAdmission pay(long maxCost) throws Exception {
    BuyerChannels.Negotiation n = w.buyer.negotiate(w.terms(), Usdc.ofUnits(maxCost));
    PaymentAuthorization auth = w.buyer.channel(w.terms()).isPresent() ? lastAuth() : null;
    while (true) {
      try {
        return w.seller.admit(auth, w.rates, Usdc.ofUnits(maxCost));
      } catch (PaymentException e) {
        if (e.reason() != Reason.PAYMENT_REQUIRED) {
          throw e;
        }
        auth = n.respond(e.paymentRequired().orElseThrow());
      }
    }
  }

  PaymentAuthorization lastAuth() throws Exception {
    BuyerChannel c = w.buyer.channel(w.terms()).orElseThrow();
    return PaymentAuthorization.newBuilder().setVoucher(PaymentProtos.toProto(c.lastVoucher()))
        .setChainId(c.chainId()).setEscrowContract(c.escrow().hex()).build();
  }

  PaymentAuthorization firstAuth(long amount) throws Exception {
    return w.buyer.authorize(w.terms(), Usdc.ofUnits(amount));
  }

  static PaymentException fails(ThrowingRunnable r) {
    return assertThrows(PaymentException.class, r::run);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void negotiatesAdmitsAndChargesMeteredUsage() throws Exception {
    PaymentException first = fails(() -> w.seller.admit(null, w.rates, Usdc.ofUnits(1_000)));
    assertEquals(Reason.PAYMENT_REQUIRED, first.reason());
    assertEquals(ErrorCode.PAYMENT_REQUIRED, first.toErrorDetail().getCode());
    PaymentRequired pr = first.paymentRequired().orElseThrow();
    assertEquals(1_000, pr.getAmountDue());
    assertEquals(1_000, pr.getMaxRequestCost());
    assertEquals(w.terms(), pr.getTerms());
    assertEquals(0, pr.getChannel().getAuthorized());

    PaymentAdmission a = pay(1_000);
    assertEquals(1_000, a.reserved().units());
    SettledPayment s = w.seller.settle(a, PaymentWorld.usage(100, 50));
    assertEquals(200, s.charged().units()); // 100 * 1 + 50 * 2
    assertEquals(200, s.channel().getConsumed());
    assertEquals(1_000, s.channel().getAuthorized());
    assertEquals(800, w.seller.channel(a.channelId()).orElseThrow().available().units(), "the unused part stays as credit");

    // the next request uses the credit and asks only for the difference
    PaymentException next = fails(() -> w.seller.admit(lastAuth(), w.rates, Usdc.ofUnits(1_000)));
    assertEquals(200, next.paymentRequired().orElseThrow().getAmountDue());
    PaymentAdmission b = pay(1_000);
    assertEquals(1_200, b.authorized().units());
    assertEquals(2, b.voucherSequence());
  }

  @Test
  void forgedOrTamperedSignaturesAreRejected() throws Exception {
    PaymentAuthorization auth = firstAuth(500);
    Voucher v = auth.getVoucher();
    // amount changed after signing
    PaymentAuthorization tampered = auth.toBuilder().setVoucher(v.toBuilder().setCumulativeAmount(499)).build();
    assertEquals(Reason.BAD_SIGNATURE, fails(() -> w.seller.admit(tampered, w.rates, Usdc.ofUnits(10))).reason());
    // signed by a key that is not the channel's signer
    ChannelKey forger = ChannelKey.generate();
    Eip712Domain d = w.ledger.domain();
    VoucherMessage m = PaymentProtos.voucher(v).message();
    Voucher forged = PaymentProtos.toProto(forger.signVoucher(d, m));
    PaymentException e = fails(() -> w.seller.admit(auth.toBuilder().setVoucher(forged).build(), w.rates, Usdc.ofUnits(10)));
    assertEquals(Reason.BAD_SIGNATURE, e.reason());
    assertEquals(ErrorCode.PAYMENT_INVALID, e.errorCode());
    // garbage signature bytes
    byte[] junk = new byte[65];
    junk[64] = 27;
    PaymentAuthorization garbage = auth.toBuilder().setVoucher(v.toBuilder().setSignature(ByteString.copyFrom(junk))).build();
    assertEquals(Reason.BAD_SIGNATURE, fails(() -> w.seller.admit(garbage, w.rates, Usdc.ofUnits(10))).reason());
    // nothing was recorded by the failures
    ChannelId id = ChannelId.of(v.getChannelId().toByteArray());
    assertTrue(w.seller.channel(id).map(r -> r.authorized().isZero()).orElse(true));
  }

  @Test
  void malformedFieldsAreTyped() throws Exception {
    PaymentAuthorization auth = firstAuth(500);
    Voucher v = auth.getVoucher();
    assertEquals(Reason.MALFORMED, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(
        v.toBuilder().setSignature(v.getSignature().substring(0, 64))).build(), w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(Reason.MALFORMED, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(
        v.toBuilder().setChannelId(v.getChannelId().substring(1))).build(), w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(Reason.MALFORMED, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(
        v.toBuilder().setPayee("0x1234")).build(), w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(Reason.MALFORMED, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(
        v.toBuilder().setUsageDigest(ByteString.EMPTY)).build(), w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(Reason.MALFORMED, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(
        v.toBuilder().setSequence(0)).build(), w.rates, Usdc.ofUnits(1))).reason());
  }

  @Test
  void wrongChainContractOrPayeeAreRejected() throws Exception {
    PaymentAuthorization auth = firstAuth(500);
    assertEquals(Reason.WRONG_CHAIN, fails(() -> w.seller.admit(auth.toBuilder().setChainId(8453).build(), w.rates,
        Usdc.ofUnits(1))).reason());
    assertEquals(Reason.WRONG_CONTRACT, fails(() -> w.seller.admit(auth.toBuilder()
        .setEscrowContract("0x9999999999999999999999999999999999999999").build(), w.rates, Usdc.ofUnits(1))).reason());
    // a voucher signed under another chain's domain, with the right chain id claimed: signature fails
    BuyerChannel c = w.buyer.channel(w.terms()).orElseThrow();
    VoucherMessage m = PaymentProtos.voucher(auth.getVoucher()).message();
    ChannelKey other = ChannelKey.generate();
    Voucher otherDomain = PaymentProtos.toProto(other.signVoucher(Eip712Domain.escrow(8453, c.escrow()), m));
    assertEquals(Reason.BAD_SIGNATURE, fails(() -> w.seller.admit(auth.toBuilder().setVoucher(otherDomain).build(), w.rates,
        Usdc.ofUnits(1))).reason());
    // a voucher for another payee
    PaymentAuthorization otherPayee = auth.toBuilder().setVoucher(auth.getVoucher().toBuilder()
        .setPayee("0x7777777777777777777777777777777777777777")).build();
    assertEquals(Reason.WRONG_PAYEE, fails(() -> w.seller.admit(otherPayee, w.rates, Usdc.ofUnits(1))).reason());
  }

  @Test
  void oldVoucherReplayedIsRejectedWithoutStateChange() throws Exception {
    PaymentAuthorization first = firstAuth(500);
    w.seller.release(w.seller.admit(first, w.rates, Usdc.ofUnits(100)));
    PaymentAuthorization second = w.buyer.authorize(w.terms(), Usdc.ofUnits(500));
    w.seller.release(w.seller.admit(second, w.rates, Usdc.ofUnits(100)));
    PaymentException e = fails(() -> w.seller.admit(first, w.rates, Usdc.ofUnits(100)));
    assertEquals(Reason.STALE_VOUCHER, e.reason());
    ChannelRecord r = w.seller.channel(ChannelId.of(first.getVoucher().getChannelId().toByteArray())).orElseThrow();
    assertEquals(1_000, r.authorized().units());
    assertEquals(2, r.lastSequence());
  }

  @Test
  void overflowingAmountsAndAbsurdPricesAreRejected() throws Exception {
    PaymentAuthorization auth = firstAuth(500);
    PaymentAuthorization huge = auth.toBuilder().setVoucher(auth.getVoucher().toBuilder().setCumulativeAmount(-1L)).build();
    assertEquals(Reason.AMOUNT_OVERFLOW, fails(() -> w.seller.admit(huge, w.rates, Usdc.ofUnits(1))).reason());
    assertEquals(Reason.AMOUNT_OVERFLOW, fails(() -> w.seller.admit(auth, Pricing.getDefaultInstance(), -5L)).reason());
    assertEquals(Reason.INVALID_PRICE, fails(() -> w.seller.admit(auth,
        Pricing.newBuilder().setOutputPerMillion(Long.MAX_VALUE).build(), 10)).reason());
    assertEquals(Reason.INVALID_PRICE, fails(() -> w.seller.admit(auth,
        Pricing.newBuilder().setInputPerMillion(-1L).build(), 10)).reason());
  }

  @Test
  void channelExpiringWithinTheMarginCannotPay() throws Exception {
    PaymentAuthorization auth = firstAuth(500);
    w.seller.release(w.seller.admit(auth, w.rates, Usdc.ofUnits(10)));
    BuyerChannel c = w.buyer.channel(w.terms()).orElseThrow();
    long left = c.expiryUnix() - w.clock.instant().getEpochSecond();
    w.clock.advance(Duration.ofSeconds(left - ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS + 1));
    PaymentException e = fails(() -> w.seller.admit(auth, w.rates, Usdc.ofUnits(10)));
    assertEquals(Reason.CHANNEL_EXPIRED, e.reason());
    assertEquals(ErrorCode.CHANNEL_EXHAUSTED, e.errorCode());
  }

  @Test
  void unfundedChannelIsUnknown() throws Exception {
    ChannelKey k = ChannelKey.generate();
    ChannelId id = ChannelId.random();
    Voucher v = PaymentProtos.toProto(k.signVoucher(w.ledger.domain(),
        new VoucherMessage(id, w.payee, Usdc.ofUnits(10), 1, Bytes32.ZERO)));
    PaymentAuthorization auth = PaymentAuthorization.newBuilder().setVoucher(v).setChainId(w.ledger.chainId())
        .setEscrowContract(w.ledger.escrowContract().hex()).build();
    assertEquals(Reason.UNKNOWN_CHANNEL, fails(() -> w.seller.admit(auth, w.rates, Usdc.ofUnits(1))).reason());
  }

  @Test
  void concurrentRequestsOnOneChannelCannotSpendTheSameCredit() throws Exception {
    PaymentAuthorization auth = firstAuth(1_000);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> fs = new ArrayList<>();
    for (int i = 0; i < threads * 3; i++) {
      fs.add(pool.submit(() -> {
        go.await();
        try {
          return w.seller.admit(auth, w.rates, Usdc.ofUnits(150));
        } catch (PaymentException e) {
          return e;
        }
      }));
    }
    go.countDown();
    List<PaymentAdmission> admitted = new ArrayList<>();
    for (Future<Object> f : fs) {
      Object o = f.get(60, TimeUnit.SECONDS);
      if (o instanceof PaymentAdmission a) {
        admitted.add(a);
      } else {
        assertEquals(Reason.PAYMENT_REQUIRED, ((PaymentException) o).reason());
      }
    }
    pool.shutdownNow();
    assertEquals(6, admitted.size(), "1000 / 150 = 6 admissions fit");
    for (PaymentAdmission a : admitted) {
      assertEquals(150, w.seller.settle(a, PaymentWorld.usage(150, 0)).charged().units());
    }
    ChannelRecord r = w.seller.channel(admitted.get(0).channelId()).orElseThrow();
    assertEquals(900, r.consumed().units());
    assertEquals(0, r.reserved().units());
  }

  @Test
  void sellerRestartBetweenVoucherAndCharge() throws Exception {
    PaymentAdmission a = pay(1_000);
    w.restartSeller();
    SettledPayment s = w.seller.settle(a, PaymentWorld.usage(300, 100));
    assertEquals(500, s.charged().units());
    assertFalse(s.repeated());
    w.restartSeller();
    assertTrue(w.seller.settle(a, PaymentWorld.usage(300, 100)).repeated());
    assertEquals(500, w.seller.channel(a.channelId()).orElseThrow().consumed().units());
  }

  @Test
  void paymentErrorsMapToWireCodes() {
    assertEquals(ErrorCode.PAYMENT_INVALID, Reason.STALE_VOUCHER.errorCode());
    assertEquals(ErrorCode.PAYMENT_INVALID, Reason.WRONG_CHAIN.errorCode());
    assertEquals(ErrorCode.CHANNEL_EXHAUSTED, Reason.CANNOT_PAY.errorCode());
    assertEquals(ErrorCode.CHANNEL_EXHAUSTED, Reason.CHANNEL_CLOSED.errorCode());
    assertEquals(ErrorCode.STORE_UNAVAILABLE, Reason.STORE_UNAVAILABLE.errorCode());
    PaymentException e = new PaymentException(Reason.ABOVE_DEPOSIT, "payment.voucher.cumulative_amount", "x");
    assertEquals("payment.voucher.cumulative_amount", e.toErrorDetail().getField());
    assertEquals("ABOVE_DEPOSIT", e.toErrorDetail().getMetadataOrThrow("payment_reason"));
    assertEquals(EthAddress.ZERO, EthAddress.of("0x" + "0".repeat(40)));
  }
}
