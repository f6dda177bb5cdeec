package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.money.Usdc;

/** The same transitions, checked against every {@link ChannelStore} implementation. */
abstract class ChannelStoreContract {
  static final EthAddress PAYEE = EthAddress.of("0x2222222222222222222222222222222222222222");
  static final Eip712Domain DOMAIN = Eip712Domain.escrow(1337, EthAddress.of("0x1111111111111111111111111111111111111111"));

  /** A fresh, empty store. */
  abstract ChannelStore newStore() throws Exception;

  /** A second instance over the same backing state (a seller restart). */
  abstract ChannelStore reopen() throws Exception;

  final ChannelKey key = ChannelKey.generate();

  ChannelRecord fresh(ChannelId id, long deposit) {
    return ChannelRecord.fresh(id, key.address(), PAYEE, Usdc.ofUnits(deposit), 2_000_000_000L);
  }

  SignedVoucher voucher(ChannelId id, long cumulative, long seq) {
    return key.signVoucher(DOMAIN, new VoucherMessage(id, PAYEE, Usdc.ofUnits(cumulative), seq, Bytes32.ZERO));
  }

  @Test
  void listsTheChannelsItHoldsAcrossARestart() throws Exception {
    ChannelId a = ChannelId.random();
    ChannelId b = ChannelId.random();
    try (ChannelStore s = newStore()) {
      assertFalse(s.channelIds().contains(a));
      s.createIfAbsent(fresh(a, 1000));
      s.createIfAbsent(fresh(b, 1000));
      s.acceptVoucher(a, voucher(a, 500, 1));
      s.reserve(a, "r1", Usdc.ofUnits(100), 1, 60_000);
    }
    try (ChannelStore s = reopen()) {
      List<ChannelId> ids = s.channelIds();
      assertTrue(ids.contains(a) && ids.contains(b), ids.toString());
      assertEquals(ids.size(), new java.util.HashSet<>(ids).size(), "each channel once: " + ids);
      assertFalse(ids.contains(ChannelId.random()));
    }
  }

  @Test
  void createIfAbsentNeverResets() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 1000));
      s.acceptVoucher(id, voucher(id, 500, 1));
      ChannelRecord again = s.createIfAbsent(fresh(id, 1000));
      assertEquals(500, again.authorized().units());
      assertEquals(1, again.lastSequence());
    }
  }

  @Test
  void vouchersMustStrictlyIncreaseAndStayWithinTheDeposit() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 1000));
      SignedVoucher v1 = voucher(id, 300, 1);
      assertFalse(s.acceptVoucher(id, v1).resend());
      assertTrue(s.acceptVoucher(id, v1).resend(), "identical resend is idempotent");
      assertEquals(300, s.find(id).orElseThrow().authorized().units());
      assertEquals(Reason.STALE_VOUCHER, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 400, 1))).reason());
      assertEquals(Reason.STALE_VOUCHER, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 300, 2))).reason());
      assertEquals(Reason.STALE_VOUCHER, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 200, 5))).reason());
      assertEquals(Reason.ABOVE_DEPOSIT, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 1001, 2))).reason());
      s.acceptVoucher(id, voucher(id, 1000, 2));
      ChannelRecord r = s.find(id).orElseThrow();
      assertEquals(1000, r.authorized().units());
      assertEquals(2, r.lastSequence());
      assertEquals(1000, r.latest().orElseThrow().message().cumulativeAmount().units());
      r.latest().orElseThrow().verify(DOMAIN, key.address());
    }
  }

  @Test
  void unknownChannelIsTyped() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      assertTrue(s.find(id).isEmpty());
      assertEquals(Reason.UNKNOWN_CHANNEL, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 1, 1))).reason());
    }
  }

  @Test
  void reserveSettleAndRelease() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 10_000));
      s.acceptVoucher(id, voucher(id, 1_000, 1));
      ChannelStore.ReserveResult a = s.reserve(id, "a", Usdc.ofUnits(600), 1_000, 60_000);
      assertTrue(a.reserved());
      ChannelStore.ReserveResult b = s.reserve(id, "b", Usdc.ofUnits(600), 1_000, 60_000);
      assertFalse(b.reserved());
      assertEquals(400, b.available().units());
      assertTrue(s.reserve(id, "a", Usdc.ofUnits(600), 1_000, 60_000).reserved(), "reserving an id twice is a no-op");
      assertEquals(600, s.find(id).orElseThrow().reserved().units());

      ChannelStore.Charge c = s.settle(id, "a", Usdc.ofUnits(250));
      assertEquals(250, c.charged().units());
      assertFalse(c.repeated());
      ChannelStore.Charge again = s.settle(id, "a", Usdc.ofUnits(999));
      assertTrue(again.repeated());
      assertEquals(250, again.charged().units());
      ChannelRecord r = s.find(id).orElseThrow();
      assertEquals(250, r.consumed().units());
      assertEquals(0, r.reserved().units());
      assertEquals(750, r.available().units());

      assertTrue(s.reserve(id, "c", Usdc.ofUnits(700), 2_000, 60_000).reserved());
      s.release(id, "c");
      assertEquals(750, s.find(id).orElseThrow().available().units());
      assertEquals(Reason.UNKNOWN_ADMISSION, assertThrows(PaymentException.class, () -> s.settle(id, "c", Usdc.ofUnits(1))).reason());
    }
  }

  @Test
  void chargeIsCappedByTheCreditLeft() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 10_000));
      s.acceptVoucher(id, voucher(id, 1_000, 1));
      s.reserve(id, "a", Usdc.ofUnits(500), 0, 60_000);
      s.reserve(id, "b", Usdc.ofUnits(300), 0, 60_000);
      // a costs more than it reserved: it may use free credit but never b's reservation
      assertEquals(700, s.settle(id, "a", Usdc.ofUnits(5_000)).charged().units());
      assertEquals(300, s.settle(id, "b", Usdc.ofUnits(300)).charged().units());
      ChannelRecord r = s.find(id).orElseThrow();
      assertEquals(1_000, r.consumed().units());
      assertEquals(Usdc.ZERO, r.available());
    }
  }

  @Test
  void staleReservationsAreReleased() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 10_000));
      s.acceptVoucher(id, voucher(id, 1_000, 1));
      s.reserve(id, "old", Usdc.ofUnits(900), 1_000, 5_000);
      assertFalse(s.reserve(id, "new", Usdc.ofUnits(900), 5_000, 5_000).reserved());
      assertTrue(s.reserve(id, "new", Usdc.ofUnits(900), 7_000, 5_000).reserved());
      assertEquals(900, s.find(id).orElseThrow().reserved().units());
    }
  }

  @Test
  void fundingOnlyGrows() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      s.createIfAbsent(fresh(id, 1_000));
      s.refreshFunding(id, Usdc.ofUnits(5_000), 2_100_000_000L, false);
      ChannelRecord r = s.refreshFunding(id, Usdc.ofUnits(10), 1L, false);
      assertEquals(5_000, r.deposit().units());
      assertEquals(2_100_000_000L, r.expiryUnix());
      assertTrue(s.refreshFunding(id, Usdc.ZERO, 0, true).closed());
      assertTrue(s.refreshFunding(id, Usdc.ZERO, 0, false).closed(), "closed is sticky");
      assertEquals(Reason.CHANNEL_CLOSED, assertThrows(PaymentException.class, () -> s.acceptVoucher(id, voucher(id, 1, 1))).reason());
    }
  }

  @Test
  void amountsNearTheTopOfTheRangeAreExact() throws Exception {
    try (ChannelStore s = newStore()) {
      ChannelId id = ChannelId.random();
      long big = Long.MAX_VALUE - 1; // far above 2^53: binary64 would round these
      s.createIfAbsent(fresh(id, Long.MAX_VALUE));
      s.acceptVoucher(id, voucher(id, big, 1));
      assertTrue(s.reserve(id, "a", Usdc.ofUnits(big - 3), 0, 60_000).reserved());
      assertEquals(big - 7, s.settle(id, "a", Usdc.ofUnits(big - 7)).charged().units());
      ChannelRecord r = s.find(id).orElseThrow();
      assertEquals(big - 7, r.consumed().units());
      assertEquals(7, r.available().units());
      s.acceptVoucher(id, voucher(id, Long.MAX_VALUE, 2));
      assertEquals(8, s.find(id).orElseThrow().available().units());
    }
  }

  @Test
  void stateSurvivesARestart() throws Exception {
    ChannelId id = ChannelId.random();
    try (ChannelStore s = newStore()) {
      s.createIfAbsent(fresh(id, 10_000));
      s.acceptVoucher(id, voucher(id, 1_000, 1));
      s.reserve(id, "a", Usdc.ofUnits(400), 0, 60_000);
    }
    try (ChannelStore s2 = reopen()) {
      ChannelRecord r = s2.find(id).orElseThrow();
      assertEquals(1_000, r.authorized().units());
      assertEquals(400, r.reserved().units());
      assertEquals(120, s2.settle(id, "a", Usdc.ofUnits(120)).charged().units());
      r.latest().orElseThrow().verify(DOMAIN, key.address());
    }
    try (ChannelStore s3 = reopen()) {
      assertTrue(s3.settle(id, "a", Usdc.ofUnits(120)).repeated());
      assertEquals(120, s3.find(id).orElseThrow().consumed().units());
    }
  }

  @Test
  void concurrentReservationsNeverSpendTheSameCredit() throws Exception {
    ChannelId id = ChannelId.random();
    try (ChannelStore setup = newStore()) {
      setup.createIfAbsent(fresh(id, 100_000));
      setup.acceptVoucher(id, voucher(id, 1_000, 1));
    }
    int threads = 8;
    int perThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<ChannelStore> stores = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        ChannelStore st = reopen(); // each worker is its own instance, like separate seller processes
        stores.add(st);
        int worker = t;
        results.add(pool.submit(() -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < perThread; i++) {
            if (st.reserve(id, "w" + worker + "-" + i, Usdc.ofUnits(30), 0, 600_000).reserved()) {
              ok++;
            }
          }
          return ok;
        }));
      }
      start.countDown();
      int granted = 0;
      for (Future<Integer> f : results) {
        granted += f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(33, granted, "1000 / 30 = 33 reservations fit, no more");
      ChannelRecord r = stores.get(0).find(id).orElseThrow();
      assertEquals(990, r.reserved().units());
      assertEquals(33, r.reservations().size());
    } finally {
      pool.shutdownNow();
      stores.forEach(ChannelStore::close);
    }
  }
}
