package org.openshard.registry.store;

import java.util.Objects;

/** A registration and its liveness, as read from a store at one moment. */
public record LivePeer(PeerRecord record, Liveness liveness) {
  public LivePeer {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(liveness, "liveness");
  }

  public String peerId() {
    return record.peerId();
  }
}
