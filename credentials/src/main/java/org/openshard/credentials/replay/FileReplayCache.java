package org.openshard.credentials.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.zip.CRC32C;
import org.openshard.credentials.Nullifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-process {@link ReplayCache}: an in-memory map backed by an append-only file. Every FRESH
 * claim is appended and fsync'd before it is returned, and the file is reloaded on open, so a
 * restart does not reopen replays. Expired entries are dropped; the file is compacted (rewritten to
 * a temporary file, fsync'd, atomically renamed) when it holds mostly dead records.
 *
 * <p>File format: 8-byte magic {@code "OSNRC001"}, then 44-byte records {@code nullifier_hash (32)
 * || u64 expires_at_ms || u32 crc32c(first 40 bytes)}. A torn last record (crash during append) is
 * truncated on open; a bad record anywhere else means corruption and the open fails closed.
 *
 * <p>One instance per file: a lock on {@code <file>.lock} is held while the cache is open.
 *
 * <p>Group commit: a claim appends its record under the cache's lock, then waits outside it until
 * an fsync that started after its append has finished. One waiting claimer at a time runs that
 * fsync for every record appended so far, so concurrent claims share one fsync instead of queueing
 * for one each; no claim returns FRESH before its record is on disk. A failed fsync breaks the
 * cache (every claim not yet durable fails; reopen it), as a failed append already did when the
 * file could not be realigned.
 */
public final class FileReplayCache implements ReplayCache {
  private static final Logger LOG = LoggerFactory.getLogger(FileReplayCache.class);

  static final byte[] MAGIC = "OSNRC001".getBytes(StandardCharsets.US_ASCII);
  static final int HASH_BYTES = 32;
  static final int RECORD_BYTES = HASH_BYTES + 8 + 4;
  /** Sweep the map for expired entries every this many claims. */
  private static final int SWEEP_INTERVAL = 4096;
  /** Compact when the file holds more than 2 × live + this many records. */
  private static final int COMPACT_SLACK = 4096;

  private final Path file;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<Key, Long> entries = new HashMap<>();
  private FileChannel channel;
  private long fileRecords;
  private int claimsSinceSweep;
  private boolean broken;
  private boolean closed;
  /** Records appended so far (guarded by this). */
  private long appendedSeq;

  // Group commit state, guarded by syncLock (lock order: this, then syncLock; never the reverse).
  private final java.util.concurrent.locks.ReentrantLock syncLock = new java.util.concurrent.locks.ReentrantLock();
  private final java.util.concurrent.locks.Condition synced = syncLock.newCondition();
  /** Every record with a sequence number up to this one is on disk. */
  private long durableSeq;
  private boolean syncing;
  private boolean syncFailed;

  private FileReplayCache(Path file, Clock clock, FileChannel lockChannel, FileLock lock) {
    this.file = file;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public static FileReplayCache open(Path file) throws StoreUnavailableException {
    return open(file, Clock.systemUTC());
  }

  /**
   * Opens (creating if needed) the cache file and loads its unexpired entries.
   *
   * @throws StoreUnavailableException if the file cannot be read, is corrupt, or is in use
   */
  public static FileReplayCache open(Path file, Clock clock) throws StoreUnavailableException {
    Path lockPath = file.resolveSibling(file.getFileName() + ".lock");
    FileChannel lockChannel = null;
    try {
      lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new StoreUnavailableException("replay cache file is in use by another instance: " + file);
      }
      FileReplayCache cache = new FileReplayCache(file, clock, lockChannel, lock);
      try {
        cache.load();
      } catch (IOException | StoreUnavailableException | RuntimeException e) {
        closeQuietly(cache.channel);
        throw e;
      }
      return cache;
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new StoreUnavailableException("cannot open replay cache file " + file, e);
    } catch (StoreUnavailableException | RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private void load() throws IOException, StoreUnavailableException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long size = channel.size();
    if (size < MAGIC.length) {
      // New file, or a crash while creating it.
      channel.truncate(0);
      writeFully(ByteBuffer.wrap(MAGIC), 0);
      channel.force(true);
      fileRecords = 0;
      return;
    }
    ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
    readFully(magic, 0);
    if (!java.util.Arrays.equals(magic.array(), MAGIC)) {
      channel.close();
      throw new StoreUnavailableException("not a replay cache file (bad magic): " + file);
    }
    long whole = (size - MAGIC.length) / RECORD_BYTES;
    long nowMs = clock.millis();
    long good = 0;
    int batchRecords = 1024;
    ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES * batchRecords);
    byte[] rec = new byte[RECORD_BYTES];
    reading:
    while (good < whole) {
      long batch = Math.min(batchRecords, whole - good);
      buf.clear();
      buf.limit((int) (batch * RECORD_BYTES));
      readFully(buf, MAGIC.length + good * RECORD_BYTES);
      buf.flip();
      for (long j = 0; j < batch; j++) {
        buf.get(rec);
        if (!checksumOk(rec)) {
          if (good == whole - 1) {
            break reading; // torn last record (crash during its append): truncated below
          }
          channel.close();
          throw new StoreUnavailableException("replay cache file is corrupt at record " + good + ": " + file);
        }
        long expires = ByteBuffer.wrap(rec, HASH_BYTES, 8).getLong();
        if (expires > nowMs) {
          entries.merge(new Key(java.util.Arrays.copyOf(rec, HASH_BYTES)), expires, Math::max);
        }
        good++;
      }
    }
    long validEnd = MAGIC.length + good * RECORD_BYTES;
    if (validEnd != size) {
      LOG.warn("replay cache: dropping a torn record at the end of {} ({} bytes)", file, size - validEnd);
      channel.truncate(validEnd);
      channel.force(true);
    }
    fileRecords = good;
  }

  private static boolean checksumOk(byte[] rec) {
    CRC32C crc = new CRC32C();
    crc.update(rec, 0, HASH_BYTES + 8);
    return (int) crc.getValue() == ByteBuffer.wrap(rec, HASH_BYTES + 8, 4).getInt();
  }

  @Override
  public ClaimResult claim(Nullifier nullifier, Instant expiresAt) throws StoreUnavailableException {
    long seq;
    synchronized (this) {
      if (closed) {
        throw new StoreUnavailableException("replay cache is closed");
      }
      if (broken) {
        throw new StoreUnavailableException("replay cache file failed earlier; reopen it");
      }
      long nowMs = clock.millis();
      long expiresMs = expiresAt.toEpochMilli();
      if (expiresMs <= nowMs) {
        throw new IllegalArgumentException("expiresAt must be in the future");
      }
      Key key = new Key(nullifier.hash());
      Long existing = entries.get(key);
      if (existing != null && existing > nowMs) {
        // Possibly still on its way to disk: the claim that appended it answers FRESH only once it
        // is durable, and fails closed otherwise, so answering REPLAYED here is safe either way.
        return ClaimResult.REPLAYED;
      }
      append(key.hash, expiresMs);
      entries.put(key, expiresMs);
      seq = ++appendedSeq;
      if (++claimsSinceSweep >= SWEEP_INTERVAL) {
        claimsSinceSweep = 0;
        sweep(nowMs);
        if (fileRecords > 2L * entries.size() + COMPACT_SLACK) {
          compactLocked(); // the rewritten file is fsync'd: every record so far is durable
        }
      }
    }
    awaitDurable(seq);
    return ClaimResult.FRESH;
  }

  /**
   * Returns once the record with sequence number {@code seq} is on disk: either a running fsync
   * that covers it finishes, or this thread runs one for every record appended so far.
   */
  private void awaitDurable(long seq) throws StoreUnavailableException {
    syncLock.lock();
    try {
      while (durableSeq < seq) {
        if (syncFailed) {
          throw new StoreUnavailableException("cannot persist nullifier to " + file + " (fsync failed)");
        }
        if (syncing) {
          synced.awaitUninterruptibly();
          continue;
        }
        syncing = true;
        syncLock.unlock();
        long target;
        FileChannel ch;
        IOException error = null;
        try {
          synchronized (this) {
            target = appendedSeq;
            ch = channel;
          }
          try {
            ch.force(false);
          } catch (IOException e) {
            error = e;
          }
        } finally {
          syncLock.lock();
        }
        syncing = false;
        if (error == null) {
          durableSeq = Math.max(durableSeq, target);
        } else if (durableSeq < target) {
          // (A compaction that swapped the channel made everything durable: then the error is moot.)
          syncFailed = true;
          syncLock.unlock();
          try {
            synchronized (this) {
              broken = true;
            }
          } finally {
            syncLock.lock();
          }
        }
        synced.signalAll();
      }
    } finally {
      syncLock.unlock();
    }
  }

  /** Called under this after a compaction fsync'd every live entry: all appended records are durable. */
  private void markAllDurable() {
    syncLock.lock();
    try {
      durableSeq = Math.max(durableSeq, appendedSeq);
      synced.signalAll();
    } finally {
      syncLock.unlock();
    }
  }

  private void append(byte[] hash, long expiresMs) throws StoreUnavailableException {
    ByteBuffer rec = ByteBuffer.allocate(RECORD_BYTES);
    rec.put(hash).putLong(expiresMs);
    CRC32C crc = new CRC32C();
    crc.update(rec.array(), 0, HASH_BYTES + 8);
    rec.putInt((int) crc.getValue());
    rec.flip();
    long pos = MAGIC.length + fileRecords * RECORD_BYTES;
    try {
      writeFully(rec, pos); // fsync'd by awaitDurable, possibly together with other claims' records
      fileRecords++;
    } catch (IOException e) {
      try {
        channel.truncate(pos); // keep the file aligned for the next append
        channel.force(true);
      } catch (IOException e2) {
        broken = true;
      }
      throw new StoreUnavailableException("cannot persist nullifier to " + file, e);
    }
  }

  /** Drops expired entries and rewrites the file with the live ones. */
  public synchronized void compact() throws StoreUnavailableException {
    if (closed || broken) {
      throw new StoreUnavailableException("replay cache is " + (closed ? "closed" : "broken"));
    }
    sweep(clock.millis());
    compactLocked();
  }

  private void compactLocked() throws StoreUnavailableException {
    Path tmp = file.resolveSibling(file.getFileName() + ".compact");
    try {
      try (FileChannel out =
          FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + RECORD_BYTES * 1024);
        buf.put(MAGIC);
        CRC32C crc = new CRC32C();
        byte[] rec = new byte[RECORD_BYTES];
        for (Map.Entry<Key, Long> e : entries.entrySet()) {
          if (buf.remaining() < RECORD_BYTES) {
            buf.flip();
            while (buf.hasRemaining()) {
              out.write(buf);
            }
            buf.clear();
          }
          ByteBuffer r = ByteBuffer.wrap(rec);
          r.put(e.getKey().hash).putLong(e.getValue());
          crc.reset();
          crc.update(rec, 0, HASH_BYTES + 8);
          r.putInt((int) crc.getValue());
          buf.put(rec);
        }
        buf.flip();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        out.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      fsyncDirectory(file.toAbsolutePath().getParent());
      markAllDurable();
    } catch (IOException e) {
      // The old file is intact (rename is atomic); keep using it.
      throw new StoreUnavailableException("replay cache compaction failed for " + file, e);
    }
    FileChannel old = channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      broken = true;
      throw new StoreUnavailableException("cannot reopen replay cache file after compaction " + file, e);
    } finally {
      closeQuietly(old);
    }
    fileRecords = entries.size();
  }

  private void sweep(long nowMs) {
    for (Iterator<Map.Entry<Key, Long>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() <= nowMs) {
        it.remove();
      }
    }
  }

  /** Live (unexpired) entries held in memory. */
  public synchronized int size() {
    sweep(clock.millis());
    return entries.size();
  }

  /** Records currently in the file (live and dead). */
  public synchronized long fileRecords() {
    return fileRecords;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(channel);
    try {
      lock.release();
    } catch (IOException e) {
      LOG.warn("replay cache: cannot release lock on {}", file);
    }
    closeQuietly(lockChannel);
  }

  private void writeFully(ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      pos += channel.write(b, pos);
    }
  }

  private void readFully(ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of replay cache file");
      }
      pos += n;
    }
  }

  private static void fsyncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on every platform; the rename itself is still atomic.
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // ignore
      }
    }
  }

  /** A 32-byte hash as a map key. */
  private static final class Key {
    final byte[] hash;
    final int hashCode;

    Key(byte[] hash) {
      this.hash = hash;
      this.hashCode = java.util.Arrays.hashCode(hash);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && java.util.Arrays.equals(hash, ((Key) o).hash);
    }

    @Override
    public int hashCode() {
      return hashCode;
    }
  }
}
