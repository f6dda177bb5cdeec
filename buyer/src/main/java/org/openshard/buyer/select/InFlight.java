package org.openshard.buyer.select;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests this buyer has open at each seller right now. */
public final class InFlight {
  private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  public void increment(String peerId) {
    counts.computeIfAbsent(peerId, k -> new AtomicInteger()).incrementAndGet();
  }

  public void decrement(String peerId) {
    AtomicInteger c = counts.get(peerId);
    if (c != null) {
      c.decrementAndGet();
    }
  }

  public int get(String peerId) {
    AtomicInteger c = counts.get(peerId);
    return c == null ? 0 : Math.max(0, c.get());
  }
}
