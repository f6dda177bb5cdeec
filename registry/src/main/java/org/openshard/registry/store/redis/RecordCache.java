package org.openshard.registry.store.redis;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.registry.store.PeerRecord;

/**
 * Decoded registrations by peer id, reused while Redis returns the same signed bytes (compared in
 * full), so Discover does not re-parse every candidate. Bounded: cleared when it grows past its cap.
 */
final class RecordCache {
  private record Cached(byte[] bytes, PeerRecord record) {}

  private final ConcurrentHashMap<String, Cached> byPeer = new ConcurrentHashMap<>();
  private final int maxEntries;

  RecordCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The record for these signed-request bytes, of the given peer id if known. */
  PeerRecord get(String peerIdHint, byte[] requestBytes) throws InvalidProtocolBufferException {
    if (peerIdHint != null) {
      Cached c = byPeer.get(peerIdHint);
      if (c != null && Arrays.equals(c.bytes, requestBytes)) {
        return c.record;
      }
    }
    PeerRecord r = PeerRecord.decode(RegisterRequest.parseFrom(requestBytes));
    if (byPeer.size() >= maxEntries) {
      byPeer.clear();
    }
    byPeer.put(r.peerId(), new Cached(requestBytes, r));
    return r;
  }

  void remove(String peerId) {
    byPeer.remove(peerId);
  }
}
