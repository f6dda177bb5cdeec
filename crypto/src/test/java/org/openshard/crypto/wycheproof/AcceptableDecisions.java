package org.openshard.crypto.wycheproof;

import java.util.List;
import java.util.Map;

/**
 * Our decision for Wycheproof {@code acceptable} vectors, per flag. A vector is expected to be
 * rejected if any of its flags is decided REJECT, accepted (with the correct output) if all of its
 * flags are decided ACCEPT. A flag with no decision is a test failure, so a new kind of acceptable
 * vector cannot slip through undecided.
 */
final class AcceptableDecisions {
  enum Decision {
    ACCEPT,
    REJECT
  }

  /** Thrown when an acceptable vector carries a flag nobody decided on. */
  static final class UndecidedFlag extends Exception {
    private static final long serialVersionUID = 1L;

    UndecidedFlag(String flag) {
      super("no decision for acceptable flag '" + flag + "'");
    }
  }

  private final Map<String, Decision> byFlag;

  private AcceptableDecisions(Map<String, Decision> byFlag) {
    this.byFlag = Map.copyOf(byFlag);
  }

  static AcceptableDecisions of(Map<String, Decision> byFlag) {
    return new AcceptableDecisions(byFlag);
  }

  static AcceptableDecisions none() {
    return new AcceptableDecisions(Map.of());
  }

  boolean expectAccepted(List<String> flags) throws UndecidedFlag {
    boolean reject = false;
    for (String f : flags) {
      Decision d = byFlag.get(f);
      if (d == null) {
        throw new UndecidedFlag(f);
      }
      reject |= d == Decision.REJECT;
    }
    if (flags.isEmpty()) {
      throw new UndecidedFlag("(none)");
    }
    return !reject;
  }
}
