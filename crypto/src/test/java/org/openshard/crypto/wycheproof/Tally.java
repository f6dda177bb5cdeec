package org.openshard.crypto.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts vector outcomes for one file, prints the one-line summary and asserts that nothing
 * failed and that every test in the file ran.
 *
 * <p>Rules: {@code valid} must be accepted with the expected output; {@code invalid} must be
 * rejected; {@code acceptable} must match our documented decision (and if accepted, produce the
 * expected output).
 */
final class Tally {
  private static final int FAILURES_SHOWN = 25;

  private final String file;
  private final int numberOfTests;
  private final AcceptableDecisions decisions;
  private int ran;
  private int validPassed;
  private int invalidRejected;
  private int acceptableAccepted;
  private int acceptableRejected;
  private final List<String> failures = new ArrayList<>();

  Tally(String file, int numberOfTests, AcceptableDecisions decisions) {
    this.file = file;
    this.numberOfTests = numberOfTests;
    this.decisions = decisions;
  }

  void record(int tcId, String result, List<String> flags, Outcome outcome) {
    ran++;
    switch (result) {
      case "valid":
        if (outcome.accepted && outcome.correct) {
          validPassed++;
        } else {
          fail(tcId, result, flags, outcome.detail);
        }
        break;
      case "invalid":
        if (!outcome.accepted) {
          invalidRejected++;
        } else {
          fail(tcId, result, flags, outcome.detail);
        }
        break;
      case "acceptable":
        boolean expectAccepted;
        try {
          expectAccepted = decisions.expectAccepted(flags);
        } catch (AcceptableDecisions.UndecidedFlag e) {
          fail(tcId, result, flags, e.getMessage());
          return;
        }
        recordAcceptable(tcId, flags, expectAccepted, outcome);
        break;
      default:
        fail(tcId, result, flags, "unknown result '" + result + "'");
    }
  }

  /** An acceptable-by-policy vector whose expected decision the caller fixed (not from flags). */
  void recordAcceptable(int tcId, List<String> flags, boolean expectAccepted, Outcome outcome) {
    if (outcome.accepted) {
      acceptableAccepted++;
      if (!expectAccepted) {
        fail(tcId, "acceptable", flags, "we decided to reject, but it was accepted");
      } else if (!outcome.correct) {
        fail(tcId, "acceptable", flags, outcome.detail);
      }
    } else {
      acceptableRejected++;
      if (expectAccepted) {
        fail(tcId, "acceptable", flags, "we decided to accept, but it was " + outcome.detail);
      }
    }
  }

  /** Counts a vector as run and failed (for checks outside the accept/reject model). */
  void recordFailure(int tcId, String result, List<String> flags, String why) {
    ran++;
    fail(tcId, result, flags, why);
  }

  private void fail(int tcId, String result, List<String> flags, String why) {
    failures.add("tcId " + tcId + " (" + result + " " + flags + "): " + why);
  }

  String summary() {
    return "WYCHEPROOF " + file + ": ran=" + ran + " valid-passed=" + validPassed + " invalid-rejected="
        + invalidRejected + " acceptable-accepted=" + acceptableAccepted + " acceptable-rejected="
        + acceptableRejected + " failures=" + failures.size();
  }

  /** Prints the summary and asserts failures == 0 and ran == numberOfTests. */
  void finish() {
    System.out.println(summary());
    check();
  }

  /** The assertions of {@link #finish} without printing. */
  void check() {
    List<String> shown = failures.subList(0, Math.min(FAILURES_SHOWN, failures.size()));
    assertEquals(0, failures.size(), file + " failures (first " + shown.size() + "):\n  " + String.join("\n  ", shown));
    assertEquals(numberOfTests, ran, file + ": numberOfTests differs from the number of tests run");
  }

  int ran() {
    return ran;
  }

  int acceptableAccepted() {
    return acceptableAccepted;
  }

  int acceptableRejected() {
    return acceptableRejected;
  }
}
