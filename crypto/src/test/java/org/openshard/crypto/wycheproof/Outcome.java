package org.openshard.crypto.wycheproof;

/**
 * What one of our primitives did with one vector: accepted it (and whether its output matched the
 * vector's expected output) or rejected it (and why).
 */
final class Outcome {
  final boolean accepted;
  final boolean correct;
  final String detail;

  private Outcome(boolean accepted, boolean correct, String detail) {
    this.accepted = accepted;
    this.correct = correct;
    this.detail = detail;
  }

  /** Accepted; {@code correctOutput} says whether the output equals the expected one. */
  static Outcome accepted(boolean correctOutput) {
    return new Outcome(true, correctOutput, correctOutput ? "accepted" : "accepted with a wrong output");
  }

  /** Accepted, with a caller-supplied description of what was accepted. */
  static Outcome acceptedWith(boolean correctOutput, String detail) {
    return new Outcome(true, correctOutput, detail);
  }

  static Outcome rejected(String why) {
    return new Outcome(false, false, "rejected: " + why);
  }

  /** For verify-style primitives: true means the signature was accepted. */
  static Outcome verified(boolean ok) {
    return ok ? accepted(true) : rejected("signature does not verify");
  }
}
