package org.openshard.cli.demo;

import java.util.Objects;

/**
 * One of the demo's sellers as the demo describes it: a display name, its offering id and the
 * prices it advertises (USDC base units per million tokens). Immutable.
 */
public final class DemoSeller {
  private final String name;
  private final String offeringId;
  private final long inputPerMillion;
  private final long outputPerMillion;
  private volatile String peerId = "";

  public DemoSeller(String name, String offeringId, long inputPerMillion, long outputPerMillion) {
    this.name = Objects.requireNonNull(name);
    this.offeringId = Objects.requireNonNull(offeringId);
    this.inputPerMillion = inputPerMillion;
    this.outputPerMillion = outputPerMillion;
  }

  public String name() {
    return name;
  }

  public String offeringId() {
    return offeringId;
  }

  public long inputPerMillion() {
    return inputPerMillion;
  }

  public long outputPerMillion() {
    return outputPerMillion;
  }

  /** {@code in/out per 1M tokens}. */
  public String priceText() {
    return inputPerMillion + "/" + outputPerMillion + " per 1M tokens in/out";
  }

  /** The price as the demo prints it; unpriced runs say they are free and why. */
  static String describePrice(DemoSeller s, boolean priced) {
    return priced ? s.priceText() : "free, list " + s.priceText();
  }

  /** The peer id once the seller runs, else {@code ""}. */
  public String peerId() {
    return peerId;
  }

  void peerId(String id) {
    this.peerId = id;
  }
}
