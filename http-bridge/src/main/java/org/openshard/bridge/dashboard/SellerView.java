package org.openshard.bridge.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * One seller as the status page shows it. Immutable.
 *
 * @param lastHeartbeatMs Unix ms of the last heartbeat the registry saw (0 = unknown)
 * @param health registry health score 0.0 .. 1.0
 */
public record SellerView(
    String peerId, String endpoint, List<OfferingView> offerings, double health, int inFlight, int capacity,
    long lastHeartbeatMs) {
  public SellerView {
    Objects.requireNonNull(peerId, "peerId");
    endpoint = Objects.requireNonNullElse(endpoint, "");
    offerings = List.copyOf(offerings);
  }

  /**
   * One offering with prices in USDC base units (6 decimals) per million tokens.
   */
  public record OfferingView(
      String offeringId, List<String> serviceIds, long inputPerMillion, long outputPerMillion, long cachedInputPerMillion) {
    public OfferingView {
      Objects.requireNonNull(offeringId, "offeringId");
      serviceIds = List.copyOf(serviceIds);
    }
  }
}
