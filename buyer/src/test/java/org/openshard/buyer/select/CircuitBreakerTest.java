package org.openshard.buyer.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final CircuitBreaker b = new CircuitBreaker(3, 100, 350, now::get);

  @Test
  void opensAfterThresholdConsecutiveFailures() {
    b.onFailure();
    b.onFailure();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
    assertTrue(b.tryAcquire());
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state());
    assertFalse(b.tryAcquire());
    assertFalse(b.isCallable());
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    b.onFailure();
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    b.onFailure();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
  }

  @Test
  void halfOpenLetsExactlyOneProbeThrough() {
    open();
    now.addAndGet(100);
    assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
    assertTrue(b.isCallable());
    assertTrue(b.tryAcquire());
    assertFalse(b.tryAcquire(), "second concurrent probe refused");
    assertFalse(b.isCallable());
    b.onSuccess();
    assertEquals(CircuitBreaker.State.CLOSED, b.state());
    assertTrue(b.tryAcquire());
  }

  @Test
  void aFailedProbeReopensWithADoubledIntervalUpToTheCap() {
    open();
    now.addAndGet(100);
    assertTrue(b.tryAcquire());
    b.onFailure();
    assertEquals(CircuitBreaker.State.OPEN, b.state());
    now.addAndGet(199);
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "interval doubled to 200");
    now.addAndGet(1);
    assertTrue(b.tryAcquire());
    b.onFailure();
    now.addAndGet(349);
    assertEquals(CircuitBreaker.State.OPEN, b.state(), "interval capped at 350");
    now.addAndGet(1);
    assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
  }

  @Test
  void aNeutralOutcomeReturnsTheProbe() {
    open();
    now.addAndGet(100);
    assertTrue(b.tryAcquire());
    b.onNeutral();
    assertTrue(b.tryAcquire());
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      b.onFailure();
    }
    assertEquals(CircuitBreaker.State.OPEN, b.state());
  }
}
