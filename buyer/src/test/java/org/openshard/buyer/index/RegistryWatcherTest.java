package org.openshard.buyer.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.fakes.FakeKeys;
import org.openshard.buyer.fakes.FakeRegistry;
import org.openshard.buyer.fakes.FakeSeller;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerListing;

class RegistryWatcherTest {
  private final FakeRegistry registry = new FakeRegistry("registry-" + System.nanoTime());
  private final ManagedChannel channel = InProcessChannelBuilder.forName(registry.name).build();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final SellerIndex index = new SellerIndex(new ListingVerifier(new FakeKeys()), Clock.systemUTC());
  private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
  private final RegistryWatcher watcher = new RegistryWatcher(List.of(channel), index, scheduler, nanos::get);
  private final FakeSeller a = new FakeSeller("a", List.of(FakeSeller.offering("oa", "m1", 1, 1)));
  private final FakeSeller b = new FakeSeller("b", List.of(FakeSeller.offering("ob", "m2", 1, 1)));

  @AfterEach
  void tearDown() {
    watcher.close();
    channel.shutdownNow();
    registry.close();
    scheduler.shutdownNow();
  }

  @Test
  void snapshotThenEventsKeepTheIndexCurrent() throws Exception {
    registry.start();
    registry.live.put(a.peerId, a.listing());
    watcher.start();
    watcher.firstSnapshot().get(5, TimeUnit.SECONDS);
    assertTrue(index.get(a.peerId).isPresent());
    registry.put(b.peerId, b.listing());
    await(() -> index.get(b.peerId).isPresent());
    registry.put(a.peerId, a.listing(0.25, LoadReport.getDefaultInstance(), System.currentTimeMillis() + 10));
    await(() -> index.get(a.peerId).get().health() == 0.25);
    registry.remove(a.peerId);
    await(() -> index.get(a.peerId).isEmpty());
    assertEquals(1, index.size());
  }

  @Test
  void invalidListingsAreIgnored() throws Exception {
    registry.start();
    PeerListing good = a.listing();
    PeerListing bad = good.toBuilder().setSignedRegistration(good.getSignedRegistration().toBuilder().setSignature(b.listing().getSignedRegistration().getSignature())).build();
    registry.live.put(a.peerId, bad);
    registry.live.put(b.peerId, b.listing());
    watcher.start();
    watcher.firstSnapshot().get(5, TimeUnit.SECONDS);
    assertFalse(index.get(a.peerId).isPresent());
    assertTrue(index.get(b.peerId).isPresent());
  }

  @Test
  void reconnectsAfterTheStreamBreaksAndDropsPeersGoneMeanwhile() throws Exception {
    registry.start();
    registry.live.put(a.peerId, a.listing());
    registry.live.put(b.peerId, b.listing());
    watcher.start();
    watcher.firstSnapshot().get(5, TimeUnit.SECONDS);
    assertEquals(2, index.size());
    registry.live.remove(a.peerId);
    registry.breakWatchers();
    await(() -> watcher.snapshots() >= 2);
    assertEquals(2, registry.watchCalls.get());
    assertTrue(watcher.reconnects() >= 1);
    assertFalse(index.get(a.peerId).isPresent());
    assertTrue(index.get(b.peerId).isPresent());
  }

  @Test
  void keepsRetryingWhileTheRegistryIsDown() throws Exception {
    watcher.start();
    await(() -> watcher.reconnects() >= 2);
    registry.live.put(a.peerId, a.listing());
    registry.start();
    watcher.firstSnapshot().get(15, TimeUnit.SECONDS);
    assertTrue(index.get(a.peerId).isPresent());
  }

  @Test
  void discoverFillsTheIndexOnDemand() throws Exception {
    registry.start();
    registry.watchShowsPeers = false;
    registry.live.put(a.peerId, a.listing());
    registry.live.put(b.peerId, b.listing());
    watcher.refresh("m1").get(5, TimeUnit.SECONDS);
    assertTrue(index.get(a.peerId).isPresent());
    assertFalse(index.get(b.peerId).isPresent());
    watcher.refresh("m1").get(5, TimeUnit.SECONDS);
    assertEquals(1, registry.discoverCalls.get(), "rate limited per service");
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(RegistryWatcher.DISCOVER_MIN_INTERVAL_MS));
    watcher.refresh("m1").get(5, TimeUnit.SECONDS);
    assertEquals(2, registry.discoverCalls.get());
  }

  private static void await(BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
