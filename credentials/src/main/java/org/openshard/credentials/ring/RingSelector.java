package org.openshard.credentials.ring;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.anchors.AnchorSet;

/**
 * Chooses a ring: the buyer's own anchor plus {@code ringSize - 1} other members drawn uniformly at
 * random, without replacement, from the rest of the anchor set. A fresh ring per proof keeps the ring
 * itself from becoming a fingerprint that links sessions (docs/security.md, section 4).
 */
public final class RingSelector {
  private RingSelector() {}

  /**
   * Returns strictly increasing indices into {@code set}, including the index of {@code own}. The
   * ring has {@code min(ringSize, set.size())} members; callers that need a minimum anonymity set
   * check the returned size.
   *
   * @throws CredentialException INVALID_ARGUMENT if {@code own} is not in the set or ringSize < 1,
   *     LIMIT_EXCEEDED if ringSize > {@link RingProofs#MAX_RING_SIZE}
   */
  public static List<Integer> choose(AnchorSet set, Anchor own, int ringSize, SecureRandom random)
      throws CredentialException {
    if (ringSize < 1) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "ring_size", "ring size must be ≥ 1");
    }
    if (ringSize > RingProofs.MAX_RING_SIZE) {
      throw new CredentialException(
          Reason.LIMIT_EXCEEDED, "ring_size", "ring size " + ringSize + " exceeds " + RingProofs.MAX_RING_SIZE);
    }
    int ownIndex = set.indexOf(own);
    if (ownIndex < 0) {
      throw new CredentialException(
          Reason.INVALID_ARGUMENT, "anchor", "the credential's anchor is not in anchor set epoch " + set.epoch());
    }
    int others = set.size() - 1;
    int pick = Math.min(ringSize, set.size()) - 1;
    // Floyd's algorithm: a uniform pick-subset of [0, others) in O(pick) time and space.
    Set<Integer> chosen = new HashSet<>();
    for (int j = others - pick; j < others; j++) {
      int t = random.nextInt(j + 1);
      chosen.add(chosen.contains(t) ? j : t);
    }
    List<Integer> ring = new ArrayList<>(pick + 1);
    for (int v : chosen) {
      ring.add(v < ownIndex ? v : v + 1); // skip over the own index
    }
    ring.add(ownIndex);
    Collections.sort(ring);
    return ring;
  }
}
