package org.openshard.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.LoadReport;
import org.openshard.registry.TestSeller;

class InMemoryPeerStoreTest extends PeerStoreContract {
  @Override
  PeerStore newStore(long retentionMs) {
    return new InMemoryPeerStore(retentionMs);
  }

  @Test
  void antiReplayRecordIsDroppedOnlyAfterRetention() throws Exception {
    InMemoryPeerStore s = new InMemoryPeerStore(1_000);
    TestSeller a = new TestSeller();
    s.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0));
    s.deregister(a.peerId(), T0 + 1, T0 + 1);
    s.pruneExpired(T0 + 500);
    assertEquals(RegisterResult.Outcome.STALE, s.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0 + 500)).outcome());
    // After the retention the record is gone (the registry's skew check rejects such old timestamps).
    s.pruneExpired(T0 + 1 + 1_001);
    assertEquals(RegisterResult.Outcome.ADDED, s.register(record(a, T0, "m"), HeartbeatToken.generate(), at(T0 + 1_100)).outcome());
  }

  @Test
  void concurrentHeartbeatsAndReregistrationsStayConsistent() throws Exception {
    List<TestSeller> sellers = new ArrayList<>();
    List<HeartbeatToken> tokens = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TestSeller s = new TestSeller();
      HeartbeatToken t = HeartbeatToken.generate();
      store.register(record(s, T0, "m"), t, at(T0));
      sellers.add(s);
      tokens.add(t);
    }
    InMemoryPeerStore mem = (InMemoryPeerStore) store;
    AtomicInteger ok = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int k = 0; k < 5_000; k++) {
                  int i = k % sellers.size();
                  if (mem.heartbeat(sellers.get(i).peerId(), tokens.get(i), new Liveness(LoadReport.getDefaultInstance(), T0 + 1, T0 + WINDOW))
                      == HeartbeatResult.OK) {
                    ok.incrementAndGet();
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(4 * 5_000, ok.get());
    assertEquals(8, store.live("m", T0 + 2).size());
  }
}
