package org.openshard.sdk;

import org.openshard.proto.v1.PeerListing;

/**
 * Receives the registry's view of live sellers from {@link Network#watch}. After a (re)connection
 * the listener gets the full snapshot again ({@link #added} per live seller, then {@link
 * #snapshotDone}). Called on one thread at a time; keep it quick.
 */
public interface SellerListener {
  void added(PeerListing seller);

  default void updated(PeerListing seller) {
    added(seller);
  }

  /** @param reason "deregistered" or "expired" */
  void removed(String peerId, String reason);

  /** The initial (or post-reconnect) snapshot is complete. */
  default void snapshotDone() {}

  /** The stream to a registry failed; the watch moves to the next registry and starts over. */
  default void disconnected(Throwable cause) {}
}
