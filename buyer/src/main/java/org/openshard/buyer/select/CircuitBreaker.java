package org.openshard.buyer.select;

import java.util.function.LongSupplier;

/**
 * One seller's circuit breaker.
 *
 * <ul>
 *   <li>CLOSED: calls flow. {@code failureThreshold} consecutive failures open it.
 *   <li>OPEN: no calls for the current open interval (starts at {@code baseOpenNanos}).
 *   <li>HALF_OPEN: once the interval has passed, exactly one probe call is let through. Success
 *       closes the breaker and resets the interval; failure opens it again with the interval
 *       doubled, up to {@code maxOpenNanos}.
 * </ul>
 *
 * Only failures that say something about the seller count (unreachable, timeouts, seller-side
 * errors); a request the seller rejects because of the request itself does not.
 */
public final class CircuitBreaker {
  /** The states. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int failureThreshold;
  private final long baseOpenNanos;
  private final long maxOpenNanos;
  private final LongSupplier nanoClock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openUntil;
  private long openInterval;
  private boolean probeInFlight;

  public CircuitBreaker(int failureThreshold, long baseOpenNanos, long maxOpenNanos, LongSupplier nanoClock) {
    if (failureThreshold < 1 || baseOpenNanos <= 0 || maxOpenNanos < baseOpenNanos) {
      throw new IllegalArgumentException("bad circuit breaker settings");
    }
    this.failureThreshold = failureThreshold;
    this.baseOpenNanos = baseOpenNanos;
    this.maxOpenNanos = maxOpenNanos;
    this.nanoClock = nanoClock;
    this.openInterval = baseOpenNanos;
  }

  /** The state now (an OPEN breaker whose interval passed reads as HALF_OPEN). */
  public synchronized State state() {
    if (state == State.OPEN && nanoClock.getAsLong() - openUntil >= 0) {
      return State.HALF_OPEN;
    }
    return state;
  }

  /** Whether a call may be made now without taking the probe (for ranking). */
  public synchronized boolean isCallable() {
    State s = state();
    return s == State.CLOSED || (s == State.HALF_OPEN && !probeInFlight);
  }

  /**
   * Asks to make a call. True if allowed; in HALF_OPEN this takes the single probe permit, which
   * {@link #onSuccess()} or {@link #onFailure()} returns.
   */
  public synchronized boolean tryAcquire() {
    State s = state();
    if (s == State.CLOSED) {
      return true;
    }
    if (s == State.HALF_OPEN && !probeInFlight) {
      state = State.HALF_OPEN;
      probeInFlight = true;
      return true;
    }
    return false;
  }

  public synchronized void onSuccess() {
    state = State.CLOSED;
    consecutiveFailures = 0;
    openInterval = baseOpenNanos;
    probeInFlight = false;
  }

  public synchronized void onFailure() {
    if (state == State.HALF_OPEN) {
      openInterval = Math.min(maxOpenNanos, openInterval * 2);
      open();
      return;
    }
    if (state == State.OPEN) {
      return;
    }
    consecutiveFailures++;
    if (consecutiveFailures >= failureThreshold) {
      open();
    }
  }

  /** Gives back a permit without a verdict (the call ended for reasons unrelated to the seller). */
  public synchronized void onNeutral() {
    if (state == State.HALF_OPEN) {
      probeInFlight = false;
    }
  }

  private void open() {
    state = State.OPEN;
    probeInFlight = false;
    consecutiveFailures = 0;
    openUntil = nanoClock.getAsLong() + openInterval;
  }
}
