package org.openshard.payments.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.payments.PaymentException;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.testing.RedisServer;

/** The seller's gate on Redis: restarts between voucher and charge, and several seller instances at once. */
class RedisValidatorTest {
  static RedisServer redis;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.startOrShared();
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void restartsAndConcurrentSellerInstancesShareOneTruth() throws Exception {
    PaymentWorld w = new PaymentWorld(dir);
    String prefix = "test:val:" + Bytes.hex(SecureRandoms.bytes(6)) + ":";
    RedisChannelStore s1 = RedisChannelStore.connect(redis.uri(), prefix);
    ChannelValidator v1 = new ChannelValidator(w.payee, s1, w.ledger, w.clock);
    PaymentAuthorization auth = w.buyer.authorize(v1.terms(), Usdc.ofUnits(1_000));
    PaymentAdmission a = v1.admit(auth, w.rates, Usdc.ofUnits(400));
    s1.close(); // the seller restarts between the voucher and the charge

    RedisChannelStore s2 = RedisChannelStore.connect(redis.uri(), prefix);
    ChannelValidator v2 = new ChannelValidator(w.payee, s2, w.ledger, w.clock);
    assertEquals(300, v2.settle(a, PaymentWorld.usage(100, 100)).charged().units());
    assertTrue(v2.settle(a, PaymentWorld.usage(100, 100)).repeated());
    // the old voucher does not buy fresh credit after the restart: 700 left
    assertEquals(PaymentException.Reason.PAYMENT_REQUIRED,
        assertThrows(PaymentException.class, () -> v2.admit(auth, w.rates, Usdc.ofUnits(701))).reason());

    // four seller instances admit concurrently against the same channel
    List<RedisChannelStore> stores = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> fs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RedisChannelStore s = RedisChannelStore.connect(redis.uri(), prefix);
      stores.add(s);
      ChannelValidator v = new ChannelValidator(w.payee, s, w.ledger, w.clock);
      fs.add(pool.submit(() -> {
        int ok = 0;
        for (int k = 0; k < 10; k++) {
          try {
            v.admit(auth, w.rates, Usdc.ofUnits(50));
            ok++;
          } catch (PaymentException e) {
            assertEquals(PaymentException.Reason.PAYMENT_REQUIRED, e.reason());
          }
        }
        return ok;
      }));
    }
    int admitted = 0;
    for (Future<Integer> f : fs) {
      admitted += f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    assertEquals(14, admitted, "700 / 50 = 14 admissions fit");
    assertEquals(700, s2.find(a.channelId()).orElseThrow().reserved().units());
    stores.forEach(RedisChannelStore::close);
    s2.close();
  }
}
