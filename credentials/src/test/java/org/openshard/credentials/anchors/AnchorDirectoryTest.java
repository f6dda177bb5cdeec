package org.openshard.credentials.anchors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.credentials.BuyerCredential;

class AnchorDirectoryTest {
  private static final long NOW = 1_750_000_000_000L;

  @Test
  void enrolPublishAndServe() throws Exception {
    AnchorDirectory d = new AnchorDirectory(3);
    assertTrue(d.latest().isEmpty());
    BuyerCredential a = BuyerCredential.generate();
    BuyerCredential b = BuyerCredential.generate();
    AnchorDirectory.EnrollResult ra = d.enroll(AnchorEnrollments.create(a, NOW), NOW, 60_000);
    assertEquals(new AnchorDirectory.EnrollResult(1, true), ra);
    assertEquals(new AnchorDirectory.EnrollResult(1, false), d.enroll(a.anchor()));

    AnchorSet e1 = d.publishNext(NOW);
    assertEquals(1, e1.epoch());
    assertEquals(List.of(a.anchor()), e1.anchors());
    assertEquals(new AnchorDirectory.EnrollResult(2, true), d.enroll(b.anchor()));
    assertEquals(new AnchorDirectory.EnrollResult(1, false), d.enroll(a.anchor()));

    AnchorSet e2 = d.publishNext(NOW + 1);
    assertEquals(2, e2.size());
    assertTrue(e2.contains(a.anchor()) && e2.contains(b.anchor()));
    assertEquals(e2.epoch(), d.latest().orElseThrow().epoch());
    assertEquals(e2.epoch(), d.forRequest(0).orElseThrow().epoch());
    assertEquals(1, d.byEpoch(1).orElseThrow().size());

    d.publishNext(NOW + 2);
    d.publishNext(NOW + 3);
    assertFalse(d.byEpoch(1).isPresent(), "only the newest 3 epochs are kept");
    assertTrue(d.byEpoch(2).isPresent());
    assertEquals(2, d.enrolledCount());
  }

  @Test
  void restoreKeepsEpochsAndEffectiveEpochs() throws Exception {
    AnchorDirectory d = new AnchorDirectory(5);
    BuyerCredential a = BuyerCredential.generate();
    BuyerCredential b = BuyerCredential.generate();
    BuyerCredential c = BuyerCredential.generate();
    d.enroll(a.anchor());
    AnchorSet s1 = d.publishNext(NOW);
    d.enroll(b.anchor());
    AnchorSet s2 = d.publishNext(NOW);
    d.enroll(c.anchor());

    AnchorDirectory r = AnchorDirectory.restore(5, d.enrolledAnchors(), List.of(s2, s1));
    assertEquals(new AnchorDirectory.EnrollResult(1, false), r.enroll(a.anchor()));
    assertEquals(new AnchorDirectory.EnrollResult(2, false), r.enroll(b.anchor()));
    assertEquals(new AnchorDirectory.EnrollResult(3, false), r.enroll(c.anchor()));
    AnchorSet s3 = r.publishNext(NOW);
    assertEquals(3, s3.epoch());
    assertEquals(3, s3.size());
  }
}
