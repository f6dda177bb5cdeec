package org.openshard.bridge.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** A bounded, thread-safe log of the most recent requests' metadata (oldest dropped first). */
public final class RequestLog {
  private final int capacity;
  private final Deque<RequestRecord> records = new ArrayDeque<>();

  public RequestLog(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("request log capacity must be > 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  public synchronized void add(RequestRecord r) {
    records.addFirst(r);
    while (records.size() > capacity) {
      records.removeLast();
    }
  }

  /** Newest first. */
  public synchronized List<RequestRecord> recent() {
    List<RequestRecord> out = new ArrayList<>(records.size());
    for (Iterator<RequestRecord> it = records.iterator(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  public int capacity() {
    return capacity;
  }
}
