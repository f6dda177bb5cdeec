package org.openshard.bridge.receipts;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Signed receipts in memory: at most {@code maxEntries} (least recently used evicted), each for at most {@code ttl}. */
public final class ReceiptStore {
  private final int maxEntries;
  private final long ttlMillis;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> map;

  public ReceiptStore(int maxEntries, Duration ttl, Clock clock) {
    if (maxEntries <= 0 || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("receipt store needs maxEntries > 0 and a positive ttl");
    }
    this.maxEntries = maxEntries;
    this.ttlMillis = ttl.toMillis();
    this.clock = clock;
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > ReceiptStore.this.maxEntries;
          }
        };
  }

  public synchronized void put(String id, byte[] document) {
    map.put(id, new Entry(document.clone(), clock.millis() + ttlMillis));
  }

  /** The signed document (JCS bytes), if held and not expired. */
  public synchronized Optional<byte[]> get(String id) {
    Entry e = map.get(id);
    if (e == null) {
      return Optional.empty();
    }
    if (e.expiresAt <= clock.millis()) {
      map.remove(id);
      return Optional.empty();
    }
    return Optional.of(e.document.clone());
  }

  public synchronized int size() {
    return map.size();
  }

  private static final class Entry {
    final byte[] document;
    final long expiresAt;

    Entry(byte[] document, long expiresAt) {
      this.document = document;
      this.expiresAt = expiresAt;
    }
  }
}
