package org.openshard.buyer;

/**
 * Tunables of the buyer (immutable; see {@link #builder()} for the defaults). Price ceilings are in
 * USDC base units per million tokens, 0 meaning none.
 */
public final class BuyerOptions {
  public static final int DEFAULT_RING_SIZE = 8;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** The largest ring a proof may use (protocol.md CRED-5). */
  public static final int MAX_RING_SIZE = 64;

  private final int ringSize;
  private final long maxInputPrice;
  private final long maxOutputPrice;
  private final double minHealth;
  private final int maxAttempts;
  private final long acceptTimeoutMs;
  private final long profileTtlMs;
  private final long getInfoTimeoutMs;
  private final long cancelGraceMs;
  private final int sessionMaxRequests;
  private final long sessionMaxAgeMs;

  private BuyerOptions(Builder b) {
    this.ringSize = b.ringSize;
    this.maxInputPrice = b.maxInputPrice;
    this.maxOutputPrice = b.maxOutputPrice;
    this.minHealth = b.minHealth;
    this.maxAttempts = b.maxAttempts;
    this.acceptTimeoutMs = b.acceptTimeoutMs;
    this.profileTtlMs = b.profileTtlMs;
    this.getInfoTimeoutMs = b.getInfoTimeoutMs;
    this.cancelGraceMs = b.cancelGraceMs;
    this.sessionMaxRequests = b.sessionMaxRequests;
    this.sessionMaxAgeMs = b.sessionMaxAgeMs;
  }

  /**
   * Requests sent in one resumed session after its envelope (docs/protocol.md section 5a), at
   * most; 0 = every request carries its own envelope and nullifier (no linkability between
   * requests at the seller, at the cost of a proof per request). Default 256.
   */
  public int sessionMaxRequests() {
    return sessionMaxRequests;
  }

  /** How long after its envelope a session may be resumed, at most. Default 60 s. */
  public long sessionMaxAgeMs() {
    return sessionMaxAgeMs;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static BuyerOptions defaults() {
    return builder().build();
  }

  /** Ring members per proof (the anonymity set), capped by the anchor set size. Default 8. */
  public int ringSize() {
    return ringSize;
  }

  public long maxInputPrice() {
    return maxInputPrice;
  }

  public long maxOutputPrice() {
    return maxOutputPrice;
  }

  /** Sellers whose registry health is below this are not selected. Default 0. */
  public double minHealth() {
    return minHealth;
  }

  /** Sellers tried per request (failover bound). Default 3. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** How long a seller has to answer the envelope (Accepted or a chunk) before failover. Default 10 s. */
  public long acceptTimeoutMs() {
    return acceptTimeoutMs;
  }

  /** How long a seller's GetInfo answer is reused. Default 30 s. */
  public long profileTtlMs() {
    return profileTtlMs;
  }

  public long getInfoTimeoutMs() {
    return getInfoTimeoutMs;
  }

  /** After a Cancel frame, how long the seller has to close the stream before it is reset. Default 500 ms. */
  public long cancelGraceMs() {
    return cancelGraceMs;
  }

  /** Builder with the defaults. */
  public static final class Builder {
    private int ringSize = DEFAULT_RING_SIZE;
    private long maxInputPrice;
    private long maxOutputPrice;
    private double minHealth;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long acceptTimeoutMs = 10_000;
    private long profileTtlMs = 30_000;
    private long getInfoTimeoutMs = 3_000;
    private long cancelGraceMs = 500;
    private int sessionMaxRequests = 256;
    private long sessionMaxAgeMs = 60_000;

    private Builder() {}

    /** See {@link BuyerOptions#sessionMaxRequests()}; 0 disables resumption. */
    public Builder sessionMaxRequests(int v) {
      if (v < 0 || v > 1 << 20) {
        throw new IllegalArgumentException("session max requests must be 0.." + (1 << 20) + ", was " + v);
      }
      sessionMaxRequests = v;
      return this;
    }

    /** See {@link BuyerOptions#sessionMaxAgeMs()}. */
    public Builder sessionMaxAgeMs(long v) {
      sessionMaxAgeMs = positive("session max age", v);
      return this;
    }

    public Builder ringSize(int v) {
      if (v < 1 || v > MAX_RING_SIZE) {
        throw new IllegalArgumentException("ring size must be 1.." + MAX_RING_SIZE + ", was " + v);
      }
      ringSize = v;
      return this;
    }

    public Builder maxInputPrice(long v) {
      maxInputPrice = nonNegative("max input price", v);
      return this;
    }

    public Builder maxOutputPrice(long v) {
      maxOutputPrice = nonNegative("max output price", v);
      return this;
    }

    public Builder minHealth(double v) {
      if (!(v >= 0.0 && v <= 1.0)) {
        throw new IllegalArgumentException("min health must be 0..1, was " + v);
      }
      minHealth = v;
      return this;
    }

    public Builder maxAttempts(int v) {
      if (v < 1 || v > 16) {
        throw new IllegalArgumentException("max attempts must be 1..16, was " + v);
      }
      maxAttempts = v;
      return this;
    }

    public Builder acceptTimeoutMs(long v) {
      acceptTimeoutMs = positive("accept timeout", v);
      return this;
    }

    public Builder profileTtlMs(long v) {
      profileTtlMs = positive("profile ttl", v);
      return this;
    }

    public Builder getInfoTimeoutMs(long v) {
      getInfoTimeoutMs = positive("GetInfo timeout", v);
      return this;
    }

    public Builder cancelGraceMs(long v) {
      cancelGraceMs = nonNegative("cancel grace", v);
      return this;
    }

    public BuyerOptions build() {
      return new BuyerOptions(this);
    }

    private static long nonNegative(String what, long v) {
      if (v < 0) {
        throw new IllegalArgumentException(what + " must be >= 0, was " + v);
      }
      return v;
    }

    private static long positive(String what, long v) {
      if (v <= 0) {
        throw new IllegalArgumentException(what + " must be > 0, was " + v);
      }
      return v;
    }
  }
}
