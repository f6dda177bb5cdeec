package org.openshard.seller.pipeline;

import java.time.Duration;
import java.util.List;

/** Watches requests for metrics, the audit log and load signals. Must not block. */
public interface RequestObserver {
  /** A request entered the pipeline. */
  default void started() {}

  /** The proof check took {@code elapsed} (whatever its result). */
  default void proofVerified(Duration elapsed) {}

  /** The request ended (exactly once per {@link #started()}). */
  void finished(RequestRecord record);

  RequestObserver NONE = record -> {};

  /** All of {@code observers}, in order; one failing does not stop the others. */
  static RequestObserver all(List<RequestObserver> observers) {
    List<RequestObserver> list = List.copyOf(observers);
    return new RequestObserver() {
      @Override
      public void started() {
        list.forEach(o -> guard(o::started));
      }

      @Override
      public void proofVerified(Duration elapsed) {
        list.forEach(o -> guard(() -> o.proofVerified(elapsed)));
      }

      @Override
      public void finished(RequestRecord record) {
        list.forEach(o -> guard(() -> o.finished(record)));
      }
    };
  }

  private static void guard(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RequestObserver.class).warn("request observer failed: {}", e.getClass().getName());
    }
  }
}
