package org.openshard.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Process lifecycle for the server commands: SIGTERM and SIGINT run the registered cleanups (last
 * registered first) and the process exits 0, as the command-line contract requires.
 */
public final class Shutdown {
  private final Deque<Runnable> cleanups = new ArrayDeque<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopping;

  /** Installs the signal handlers. Call once per process. */
  public static Shutdown install() {
    Shutdown s = new Shutdown();
    Signal.handle(new Signal("TERM"), sig -> s.stopAndExit());
    Signal.handle(new Signal("INT"), sig -> s.stopAndExit());
    return s;
  }

  /** Registers a cleanup; cleanups run in reverse registration order. */
  public synchronized void onStop(Runnable cleanup) {
    cleanups.push(cleanup);
  }

  public boolean isStopping() {
    return stopping;
  }

  /** Blocks the calling (main) thread until a signal arrives and cleanups are done, then exits 0. */
  public void awaitAndExit() throws InterruptedException {
    done.await();
    System.exit(0);
  }

  private void stopAndExit() {
    Thread t =
        new Thread(
            () -> {
              runCleanups();
              done.countDown();
            },
            "openshard-shutdown");
    t.start();
  }

  /** Runs cleanups now (idempotent). */
  public void runCleanups() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    while (true) {
      Runnable r;
      synchronized (this) {
        r = cleanups.poll();
      }
      if (r == null) {
        break;
      }
      try {
        r.run();
      } catch (RuntimeException e) {
        System.err.println("shutdown step failed: " + e);
      }
    }
  }
}
