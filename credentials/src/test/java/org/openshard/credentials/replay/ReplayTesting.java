package org.openshard.credentials.replay;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openshard.credentials.Fixtures;
import org.openshard.credentials.Nullifier;
import org.openshard.crypto.Secp256k1;

final class ReplayTesting {
  private ReplayTesting() {}

  static Nullifier randomNullifier() {
    return Nullifier.fromPoint(Secp256k1.multiplyBase(new BigInteger(255, Fixtures.RANDOM).add(BigInteger.ONE)));
  }

  /** Claims {@code n} from {@code threads} threads released at once; returns how many got FRESH. */
  static int concurrentFreshCount(ReplayCache cache, Nullifier n, Instant expires, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ClaimResult>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<ClaimResult> task =
            () -> {
              ready.countDown();
              go.await();
              return cache.claim(n, expires);
            };
        results.add(pool.submit(task));
      }
      ready.await();
      go.countDown();
      int fresh = 0;
      for (Future<ClaimResult> f : results) {
        if (f.get() == ClaimResult.FRESH) {
          fresh++;
        }
      }
      return fresh;
    } finally {
      pool.shutdownNow();
    }
  }
}
