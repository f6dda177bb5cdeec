package org.openshard.registry.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.LoadReport;

class HealthScoreTest {
  private static final long INTERVAL = 10_000;
  private static final long WINDOW = 30_000;

  @Test
  void freshIdlePeerIsFullyHealthy() {
    assertEquals(1.0, HealthScore.of(LoadReport.getDefaultInstance(), 1000, 1000, INTERVAL, WINDOW));
  }

  @Test
  void errorRateWeightedBySampleSize() {
    LoadReport few = LoadReport.newBuilder().setErrorRate(0.5).setRecentRequests(10).build();
    assertEquals(0.75, HealthScore.of(few, 0, 0, INTERVAL, WINDOW), 1e-12);
    LoadReport many = LoadReport.newBuilder().setErrorRate(0.5).setRecentRequests(1000).build();
    assertEquals(0.5, HealthScore.of(many, 0, 0, INTERVAL, WINDOW), 1e-12);
    LoadReport none = LoadReport.newBuilder().setErrorRate(1.0).setRecentRequests(0).build();
    assertEquals(1.0, HealthScore.of(none, 0, 0, INTERVAL, WINDOW), 1e-12);
  }

  @Test
  void saturationAboveNinetyPercent() {
    assertEquals(1.0, HealthScore.of(load(90, 100), 0, 0, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.75, HealthScore.of(load(95, 100), 0, 0, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.5, HealthScore.of(load(100, 100), 0, 0, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.5, HealthScore.of(load(500, 100), 0, 0, INTERVAL, WINDOW), 1e-12);
    assertEquals(1.0, HealthScore.of(load(7, 0), 0, 0, INTERVAL, WINDOW), 1e-12);
  }

  @Test
  void freshnessDecaysAfterOneInterval() {
    LoadReport idle = LoadReport.getDefaultInstance();
    assertEquals(1.0, HealthScore.of(idle, 0, INTERVAL, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.75, HealthScore.of(idle, 0, INTERVAL + (WINDOW - INTERVAL) / 2, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.5, HealthScore.of(idle, 0, WINDOW, INTERVAL, WINDOW), 1e-12);
    assertEquals(0.5, HealthScore.of(idle, 0, 10 * WINDOW, INTERVAL, WINDOW), 1e-12);
    // A heartbeat from the future (clock differences) counts as fresh.
    assertEquals(1.0, HealthScore.of(idle, 5_000, 0, INTERVAL, WINDOW), 1e-12);
  }

  @Test
  void factorsMultiply() {
    LoadReport l = LoadReport.newBuilder().setInFlight(95).setCapacity(100).setErrorRate(0.5).setRecentRequests(10).build();
    double h = HealthScore.of(l, 0, INTERVAL + (WINDOW - INTERVAL) / 2, INTERVAL, WINDOW);
    assertEquals(0.75 * 0.75 * 0.75, h, 1e-12);
  }

  @Test
  void sanitizerClampsGarbage() {
    assertEquals(1.0, LoadSanitizer.sanitize(LoadReport.newBuilder().setErrorRate(Double.NaN).build()).getErrorRate());
    assertEquals(1.0, LoadSanitizer.sanitize(LoadReport.newBuilder().setErrorRate(7).build()).getErrorRate());
    assertEquals(1.0, LoadSanitizer.sanitize(LoadReport.newBuilder().setErrorRate(Double.POSITIVE_INFINITY).build()).getErrorRate());
    assertEquals(0.0, LoadSanitizer.sanitize(LoadReport.newBuilder().setErrorRate(-3).build()).getErrorRate());
    LoadReport nan = LoadSanitizer.sanitize(LoadReport.newBuilder().setErrorRate(Double.NaN).setRecentRequests(100).build());
    assertEquals(0.0, HealthScore.of(nan, 0, 0, INTERVAL, WINDOW), 1e-12);
    LoadReport withUnknown =
        LoadReport.newBuilder()
            .setInFlight(3)
            .setUnknownFields(
                com.google.protobuf.UnknownFieldSet.newBuilder()
                    .addField(99, com.google.protobuf.UnknownFieldSet.Field.newBuilder().addFixed64(1).build())
                    .build())
            .build();
    LoadReport clean = LoadSanitizer.sanitize(withUnknown);
    assertEquals(3, clean.getInFlight());
    assertTrue(clean.getUnknownFields().asMap().isEmpty());
  }

  private static LoadReport load(int inFlight, int capacity) {
    return LoadReport.newBuilder().setInFlight(inFlight).setCapacity(capacity).build();
  }
}
