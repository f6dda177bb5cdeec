package org.openshard.registry.store;

import java.util.Objects;
import org.openshard.proto.v1.LoadReport;

/**
 * What heartbeats update: the last (sanitized) load report, when it arrived and the deadline for the
 * next one. Replaced as a whole on every heartbeat, so readers never see a torn combination.
 */
public record Liveness(LoadReport load, long lastHeartbeatMs, long deadlineMs) {
  public Liveness {
    Objects.requireNonNull(load, "load");
  }

  /** Live at {@code nowMs}: the deadline has not passed. */
  public boolean isLive(long nowMs) {
    return nowMs <= deadlineMs;
  }
}
