package org.openshard.sdk;

import org.openshard.proto.v1.Capability;

/**
 * Filters for {@link Network#discover}: capability, price ceilings (USDC base units per million
 * tokens; 0 = none) and a minimum health. Immutable; build with {@link #builder()}.
 */
public final class DiscoverFilters {
  private static final DiscoverFilters NONE = builder().build();

  private final Capability capability;
  private final long maxInputPrice;
  private final long maxOutputPrice;
  private final double minHealth;
  private final int maxResults;

  private DiscoverFilters(Builder b) {
    this.capability = b.capability;
    this.maxInputPrice = b.maxInputPrice;
    this.maxOutputPrice = b.maxOutputPrice;
    this.minHealth = b.minHealth;
    this.maxResults = b.maxResults;
  }

  /** No filter: every live seller of the service. */
  public static DiscoverFilters none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
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

  public int maxResults() {
    return maxResults;
  }

  /** Builder for {@link DiscoverFilters}. */
  public static final class Builder {
    private Capability capability = Capability.CAPABILITY_UNSPECIFIED;
    private long maxInputPrice;
    private long maxOutputPrice;
    private double minHealth;
    private int maxResults = 500;

    private Builder() {}

    public Builder capability(Capability c) {
      this.capability = java.util.Objects.requireNonNull(c);
      return this;
    }

    /** USDC base units per million input tokens; 0 = no ceiling. */
    public Builder maxInputPrice(long p) {
      this.maxInputPrice = nonNegative(p, "maxInputPrice");
      return this;
    }

    /** USDC base units per million output tokens; 0 = no ceiling. */
    public Builder maxOutputPrice(long p) {
      this.maxOutputPrice = nonNegative(p, "maxOutputPrice");
      return this;
    }

    /** 0.0 .. 1.0. */
    public Builder minHealth(double h) {
      if (!(h >= 0 && h <= 1)) {
        throw new IllegalArgumentException("minHealth must be within 0.0 .. 1.0, got " + h);
      }
      this.minHealth = h;
      return this;
    }

    /** Upper bound on listings returned (default 500). */
    public Builder maxResults(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxResults must be > 0, got " + n);
      }
      this.maxResults = n;
      return this;
    }

    public DiscoverFilters build() {
      return new DiscoverFilters(this);
    }

    private static long nonNegative(long v, String what) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must be >= 0, got " + v);
      }
      return v;
    }
  }
}
