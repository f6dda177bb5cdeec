package org.openshard.registry.store;

/** Receives index changes from a {@link PeerStore}. Implementations must be fast and never block. */
public interface StoreEventListener {
  void onEvent(StoreEvent event);

  /**
   * The event feed broke (e.g. the Redis subscription dropped): events may have been lost, so
   * consumers that keep state must start over.
   */
  default void onEventsInterrupted(String why) {}
}
