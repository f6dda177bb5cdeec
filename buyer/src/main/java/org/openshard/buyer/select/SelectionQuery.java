package org.openshard.buyer.select;

import java.util.Objects;
import org.openshard.proto.v1.Capability;

/**
 * What a request needs from a seller: the service id, a capability ({@code
 * CAPABILITY_UNSPECIFIED} = any), price ceilings in base units per million tokens (0 = none) and a
 * minimum registry health.
 */
public final class SelectionQuery {
  private final String serviceId;
  private final Capability capability;
  private final long maxInputPrice;
  private final long maxOutputPrice;
  private final double minHealth;

  public SelectionQuery(String serviceId, Capability capability, long maxInputPrice, long maxOutputPrice, double minHealth) {
    this.serviceId = Objects.requireNonNull(serviceId, "serviceId");
    this.capability = capability == null ? Capability.CAPABILITY_UNSPECIFIED : capability;
    if (maxInputPrice < 0 || maxOutputPrice < 0) {
      throw new IllegalArgumentException("price ceilings must be non-negative");
    }
    this.maxInputPrice = maxInputPrice;
    this.maxOutputPrice = maxOutputPrice;
    this.minHealth = minHealth;
  }

  public String serviceId() {
    return serviceId;
  }

  public Capability capability() {
    return capability;
  }

  public long maxInputPrice() {
    return maxInputPrice;
  }

  public long maxOutputPrice() {
    return maxOutputPrice;
  }

  public double minHealth() {
    return minHealth;
  }
}
