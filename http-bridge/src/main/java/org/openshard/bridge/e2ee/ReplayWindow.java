package org.openshard.bridge.e2ee;

import java.time.Clock;
import java.time.Duration;

/**
 * The timestamp window (±300 s) and how long a replay tuple is held: at least the window, and until
 * the request's own timestamp can no longer pass the window check (a request stamped up to 300 s in
 * the future would otherwise be replayable after a 300 s hold).
 */
public final class ReplayWindow {
  public static final Duration WINDOW = Duration.ofSeconds(300);

  private ReplayWindow() {}

  /** True if {@code ts} (Unix seconds) is within the window of {@code clock}'s now. */
  public static boolean accepts(Clock clock, long ts) {
    long now = clock.millis() / 1000;
    return Math.abs(now - ts) <= WINDOW.getSeconds();
  }

  /** How long to hold the tuple of a request stamped {@code ts}. */
  public static Duration holdFor(Clock clock, long ts) {
    long now = clock.millis() / 1000;
    long untilStale = ts + WINDOW.getSeconds() + 1 - now;
    return Duration.ofSeconds(Math.max(WINDOW.getSeconds(), untilStale));
  }

  /** Parses a Unix-seconds header value (ASCII digits only, optional leading '-'); null if invalid. */
  public static Long parseTimestamp(String s) {
    if (s == null) {
      return null;
    }
    String t = s.trim();
    if (t.isEmpty() || t.length() > 19) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && t.length() > 1)) {
        return null;
      }
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
