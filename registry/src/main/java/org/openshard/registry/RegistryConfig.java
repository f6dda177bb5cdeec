package org.openshard.registry;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Registry settings. Immutable; build with {@link #builder()}. Defaults: heartbeat interval 10 s,
 * 3 missed heartbeats (a 30 s liveness window), clock skew ±60 s, 1,024 pending events per watcher.
 */
public final class RegistryConfig {
  public static final String DEFAULT_REDIS_PREFIX = "openshard:registry:";

  private final Duration heartbeatInterval;
  private final int missedHeartbeats;
  private final Duration maxClockSkew;
  private final int watchBufferEvents;
  private final Duration pruneInterval;
  private final Clock clock;
  private final String redisKeyPrefix;

  private RegistryConfig(Builder b) {
    this.heartbeatInterval = b.heartbeatInterval;
    this.missedHeartbeats = b.missedHeartbeats;
    this.maxClockSkew = b.maxClockSkew;
    this.watchBufferEvents = b.watchBufferEvents;
    this.clock = b.clock;
    this.redisKeyPrefix = b.redisKeyPrefix;
    long window = windowMsOf(b.heartbeatInterval, b.missedHeartbeats);
    this.pruneInterval =
        b.pruneInterval != null ? b.pruneInterval : Duration.ofMillis(Math.max(20, Math.min(1000, window / 4)));
  }

  private static long windowMsOf(Duration interval, int missed) {
    return interval.toMillis() * missed;
  }

  public static RegistryConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .heartbeatInterval(heartbeatInterval)
        .missedHeartbeats(missedHeartbeats)
        .maxClockSkew(maxClockSkew)
        .watchBufferEvents(watchBufferEvents)
        .pruneInterval(pruneInterval)
        .clock(clock)
        .redisKeyPrefix(redisKeyPrefix);
  }

  public long heartbeatIntervalMs() {
    return heartbeatInterval.toMillis();
  }

  public int missedHeartbeats() {
    return missedHeartbeats;
  }

  /** The liveness window: a peer whose last heartbeat is older than this is expired. */
  public long livenessWindowMs() {
    return windowMsOf(heartbeatInterval, missedHeartbeats);
  }

  public long maxClockSkewMs() {
    return maxClockSkew.toMillis();
  }

  /**
   * How long the last signed timestamp of a peer is remembered after its registration is gone: twice
   * the skew window plus a minute, so a replay is always caught by either check.
   */
  public long antiReplayRetentionMs() {
    return 2 * maxClockSkew.toMillis() + 60_000;
  }

  public int watchBufferEvents() {
    return watchBufferEvents;
  }

  public long pruneIntervalMs() {
    return pruneInterval.toMillis();
  }

  public Clock clock() {
    return clock;
  }

  public long nowMs() {
    return clock.millis();
  }

  public String redisKeyPrefix() {
    return redisKeyPrefix;
  }

  /** Builder for {@link RegistryConfig}. */
  public static final class Builder {
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private int missedHeartbeats = 3;
    private Duration maxClockSkew = Duration.ofSeconds(60);
    private int watchBufferEvents = 1024;
    private Duration pruneInterval;
    private Clock clock = Clock.systemUTC();
    private String redisKeyPrefix = DEFAULT_REDIS_PREFIX;

    private Builder() {}

    public Builder heartbeatInterval(Duration d) {
      if (d.toMillis() < 1 || d.toMillis() > Duration.ofHours(1).toMillis()) {
        throw new IllegalArgumentException("heartbeat interval must be 1 ms .. 1 h, was " + d);
      }
      this.heartbeatInterval = d;
      return this;
    }

    public Builder missedHeartbeats(int n) {
      if (n < 1 || n > 100) {
        throw new IllegalArgumentException("missed heartbeats must be 1..100, was " + n);
      }
      this.missedHeartbeats = n;
      return this;
    }

    public Builder maxClockSkew(Duration d) {
      if (d.isNegative() || d.toMillis() > Duration.ofHours(1).toMillis()) {
        throw new IllegalArgumentException("max clock skew must be 0 .. 1 h, was " + d);
      }
      this.maxClockSkew = d;
      return this;
    }

    public Builder watchBufferEvents(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("watch buffer must hold at least one event");
      }
      this.watchBufferEvents = n;
      return this;
    }

    /** How often expired peers are pruned (default: a quarter of the window, 20 ms .. 1 s). */
    public Builder pruneInterval(Duration d) {
      if (d != null && d.toMillis() < 1) {
        throw new IllegalArgumentException("prune interval must be at least 1 ms");
      }
      this.pruneInterval = d;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder redisKeyPrefix(String prefix) {
      if (prefix == null || prefix.isEmpty() || prefix.length() > 100) {
        throw new IllegalArgumentException("redis key prefix must be 1..100 characters");
      }
      this.redisKeyPrefix = prefix;
      return this;
    }

    public RegistryConfig build() {
      return new RegistryConfig(this);
    }
  }
}
