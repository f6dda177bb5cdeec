package org.openshard.cli.demo;

import java.util.List;
import java.util.Objects;
import org.openshard.runtime.ListenAddress;

/** What the demo starts. Immutable. */
public final class DemoConfig {
  /** The service id every demo seller offers (the OpenAI {@code model} clients send). */
  public static final String DEFAULT_SERVICE = "demo-model";

  private final String serviceId;
  private final String upstreamUrl;
  private final String upstreamModel;
  private final List<DemoSeller> sellers;
  private final boolean priced;
  private final ListenAddress registryListen;
  private final ListenAddress buyerListen;
  private final ListenAddress bridgeListen;

  public DemoConfig(
      String serviceId,
      String upstreamUrl,
      String upstreamModel,
      List<DemoSeller> sellers,
      boolean priced,
      ListenAddress registryListen,
      ListenAddress buyerListen,
      ListenAddress bridgeListen) {
    this.serviceId = Objects.requireNonNull(serviceId);
    this.upstreamUrl = upstreamUrl;
    this.upstreamModel = Objects.requireNonNull(upstreamModel);
    this.sellers = List.copyOf(sellers);
    this.priced = priced;
    this.registryListen = Objects.requireNonNull(registryListen);
    this.buyerListen = Objects.requireNonNull(buyerListen);
    this.bridgeListen = Objects.requireNonNull(bridgeListen);
    if (this.sellers.isEmpty()) {
      throw new IllegalArgumentException("the demo needs at least one seller");
    }
  }

  /** Three sellers of one service, cheapest to dearest. */
  public static List<DemoSeller> threeSellers() {
    return List.of(
        new DemoSeller("seller-1", "demo-budget", 100_000, 200_000),
        new DemoSeller("seller-2", "demo-standard", 250_000, 500_000),
        new DemoSeller("seller-3", "demo-premium", 600_000, 1_200_000));
  }

  public String serviceId() {
    return serviceId;
  }

  /** The external upstream base URL, or null for the built-in echo upstream. */
  public String upstreamUrl() {
    return upstreamUrl;
  }

  public String upstreamModel() {
    return upstreamModel;
  }

  public List<DemoSeller> sellers() {
    return sellers;
  }

  /**
   * Whether the offerings carry their prices. False until payment negotiation is merged: sellers
   * refuse priced offerings without it, so the demo then runs them free.
   */
  public boolean priced() {
    return priced;
  }

  public ListenAddress registryListen() {
    return registryListen;
  }

  public ListenAddress buyerListen() {
    return buyerListen;
  }

  public ListenAddress bridgeListen() {
    return bridgeListen;
  }
}
