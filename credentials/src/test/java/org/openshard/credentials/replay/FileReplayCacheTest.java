package org.openshard.credentials.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.testing.MutableClock;
import org.openshard.credentials.Nullifier;

class FileReplayCacheTest {
  private static final long T0 = 1_750_000_000_000L;
  private static final Instant LATER = Instant.ofEpochMilli(T0 + 3_600_000);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("nullifiers.bin");
  }

  @Test
  void freshThenReplayed() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      Nullifier a = ReplayTesting.randomNullifier();
      Nullifier b = ReplayTesting.randomNullifier();
      assertEquals(ClaimResult.FRESH, c.claim(a, LATER));
      assertEquals(ClaimResult.REPLAYED, c.claim(a, LATER));
      assertEquals(ClaimResult.FRESH, c.claim(b, LATER));
      assertEquals(2, c.size());
      assertThrows(IllegalArgumentException.class, () -> c.claim(ReplayTesting.randomNullifier(), Instant.ofEpochMilli(T0)));
    }
  }

  @Test
  void restartDoesNotReopenReplays() throws Exception {
    MutableClock clock = new MutableClock(T0);
    List<Nullifier> used = new ArrayList<>();
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      for (int i = 0; i < 50; i++) {
        Nullifier n = ReplayTesting.randomNullifier();
        used.add(n);
        assertEquals(ClaimResult.FRESH, c.claim(n, LATER));
      }
    }
    try (FileReplayCache restarted = FileReplayCache.open(file(), clock)) {
      assertEquals(50, restarted.size());
      for (Nullifier n : used) {
        assertEquals(ClaimResult.REPLAYED, restarted.claim(n, LATER));
      }
      assertEquals(ClaimResult.FRESH, restarted.claim(ReplayTesting.randomNullifier(), LATER));
    }
  }

  @Test
  void expiredEntriesAreDroppedAndCompacted() throws Exception {
    MutableClock clock = new MutableClock(T0);
    Nullifier shortLived = ReplayTesting.randomNullifier();
    Nullifier longLived = ReplayTesting.randomNullifier();
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      c.claim(shortLived, Instant.ofEpochMilli(T0 + 1000));
      c.claim(longLived, LATER);
      for (int i = 0; i < 100; i++) {
        c.claim(ReplayTesting.randomNullifier(), Instant.ofEpochMilli(T0 + 1000));
      }
      assertEquals(102, c.fileRecords());
      clock.advanceMillis(1000);
      assertEquals(1, c.size());
      // Expired: the same nullifier may be claimed again (its scope is no longer accepted anyway).
      assertEquals(ClaimResult.FRESH, c.claim(shortLived, LATER));
      c.compact();
      assertEquals(2, c.fileRecords());
      assertEquals(Files.size(file()), FileReplayCache.MAGIC.length + 2L * FileReplayCache.RECORD_BYTES);
      assertEquals(ClaimResult.REPLAYED, c.claim(longLived, LATER));
    }
    clock.advanceMillis(1);
    try (FileReplayCache reopened = FileReplayCache.open(file(), clock)) {
      assertEquals(2, reopened.size());
      assertEquals(ClaimResult.REPLAYED, reopened.claim(shortLived, LATER));
      assertEquals(ClaimResult.REPLAYED, reopened.claim(longLived, LATER));
    }
  }

  @Test
  void automaticCompactionKeepsEveryLiveEntry() throws Exception {
    MutableClock clock = new MutableClock(T0);
    List<Nullifier> live = new ArrayList<>();
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      for (int i = 0; i < 9000; i++) {
        Nullifier n = ReplayTesting.randomNullifier();
        boolean keep = i % 100 == 0;
        if (keep) {
          live.add(n);
        }
        assertEquals(ClaimResult.FRESH, c.claim(n, Instant.ofEpochMilli(clock.millis() + (keep ? 10_000_000 : 10))));
        clock.advanceMillis(1);
      }
      assertTrue(c.fileRecords() < 9000, "compaction should have run, records = " + c.fileRecords());
    }
    try (FileReplayCache reopened = FileReplayCache.open(file(), clock)) {
      for (Nullifier n : live) {
        assertEquals(ClaimResult.REPLAYED, reopened.claim(n, LATER.plusSeconds(100_000)));
      }
    }
  }

  @Test
  void tornLastRecordIsTruncated() throws Exception {
    MutableClock clock = new MutableClock(T0);
    Nullifier a = ReplayTesting.randomNullifier();
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      c.claim(a, LATER);
    }
    long good = Files.size(file());
    append(new byte[17]); // partial record
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      assertEquals(good, Files.size(file()));
      assertEquals(ClaimResult.REPLAYED, c.claim(a, LATER));
    }
    append(new byte[FileReplayCache.RECORD_BYTES]); // a whole record of zeros: bad checksum
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      assertEquals(good, Files.size(file()));
      assertEquals(ClaimResult.REPLAYED, c.claim(a, LATER));
      assertEquals(ClaimResult.FRESH, c.claim(ReplayTesting.randomNullifier(), LATER));
    }
  }

  @Test
  void corruptionFailsClosed() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (FileReplayCache c = FileReplayCache.open(file(), clock)) {
      c.claim(ReplayTesting.randomNullifier(), LATER);
      c.claim(ReplayTesting.randomNullifier(), LATER);
    }
    byte[] bytes = Files.readAllBytes(file());
    bytes[FileReplayCache.MAGIC.length + 3] ^= 1; // first of two records
    Files.write(file(), bytes);
    assertThrows(StoreUnavailableException.class, () -> FileReplayCache.open(file(), clock));

    Path other = dir.resolve("other.bin");
    Files.write(other, "NOTMAGIC-and-more".getBytes());
    assertThrows(StoreUnavailableException.class, () -> FileReplayCache.open(other, clock));
  }

  @Test
  void oneInstancePerFile() throws Exception {
    try (FileReplayCache c = FileReplayCache.open(file())) {
      assertThrows(StoreUnavailableException.class, () -> FileReplayCache.open(file()));
    }
    try (FileReplayCache c = FileReplayCache.open(file())) {
      c.close();
      assertThrows(StoreUnavailableException.class, () -> c.claim(ReplayTesting.randomNullifier(), Instant.now().plusSeconds(60)));
    }
  }

  @Test
  void concurrentClaimsGiveExactlyOneFresh() throws Exception {
    try (FileReplayCache c = FileReplayCache.open(file())) {
      for (int round = 0; round < 20; round++) {
        assertEquals(1, ReplayTesting.concurrentFreshCount(c, ReplayTesting.randomNullifier(), Instant.now().plusSeconds(600), 8));
      }
    }
  }

  @Test
  void concurrentDistinctClaimsAreAllFreshAndSurviveARestart() throws Exception {
    int threads = 8;
    int perThread = 40;
    List<Nullifier> used = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicInteger fresh = new java.util.concurrent.atomic.AtomicInteger();
    try (FileReplayCache c = FileReplayCache.open(file())) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    Nullifier n = ReplayTesting.randomNullifier();
                    if (c.claim(n, Instant.now().plusSeconds(600)) == ClaimResult.FRESH) {
                      fresh.incrementAndGet();
                    }
                    used.add(n);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      assertEquals(threads * perThread, fresh.get());
      assertEquals(threads * perThread, c.fileRecords());
    }
    try (FileReplayCache restarted = FileReplayCache.open(file())) {
      assertEquals(threads * perThread, restarted.size());
      for (Nullifier n : used) {
        assertEquals(ClaimResult.REPLAYED, restarted.claim(n, Instant.now().plusSeconds(600)));
      }
    }
  }

  @Test
  void aClosedCacheFailsClosed() throws Exception {
    FileReplayCache c = FileReplayCache.open(file());
    c.close();
    assertThrows(StoreUnavailableException.class, () -> c.claim(ReplayTesting.randomNullifier(), Instant.now().plusSeconds(600)));
  }

  private void append(byte[] b) throws IOException {
    Files.write(file(), b, StandardOpenOption.APPEND);
  }
}
