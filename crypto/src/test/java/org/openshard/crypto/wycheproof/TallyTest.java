package org.openshard.crypto.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The harness itself must be able to fail: wrong outcomes, undecided flags and missing tests. */
class TallyTest {
  private static final AcceptableDecisions DECISIONS = AcceptableDecisions.of(Map.of(
      "Good", AcceptableDecisions.Decision.ACCEPT, "Bad", AcceptableDecisions.Decision.REJECT));

  @Test
  void countsEveryCategory() {
    Tally t = new Tally("x.json", 4, DECISIONS);
    t.record(1, "valid", List.of(), Outcome.accepted(true));
    t.record(2, "invalid", List.of(), Outcome.rejected("no"));
    t.record(3, "acceptable", List.of("Good"), Outcome.accepted(true));
    t.record(4, "acceptable", List.of("Good", "Bad"), Outcome.rejected("no"));
    assertEquals(
        "WYCHEPROOF x.json: ran=4 valid-passed=1 invalid-rejected=1 acceptable-accepted=1 acceptable-rejected=1 failures=0",
        t.summary());
    t.check();
  }

  @Test
  void wrongOutcomesAreFailures() {
    Tally t = new Tally("x.json", 6, DECISIONS);
    t.record(1, "valid", List.of(), Outcome.accepted(false)); // wrong output
    t.record(2, "valid", List.of(), Outcome.rejected("no"));
    t.record(3, "invalid", List.of(), Outcome.accepted(true));
    t.record(4, "acceptable", List.of("Bad"), Outcome.accepted(true));
    t.record(5, "acceptable", List.of("Good"), Outcome.rejected("no"));
    t.record(6, "acceptable", List.of("Unknown"), Outcome.accepted(true));
    assertTrue(t.summary().endsWith("failures=6"), t.summary());
    assertThrows(AssertionFailedError.class, t::check);
  }

  @Test
  void missingTestsFail() {
    Tally t = new Tally("x.json", 2, DECISIONS);
    t.record(1, "valid", List.of(), Outcome.accepted(true));
    assertThrows(AssertionFailedError.class, t::check);
  }
}
