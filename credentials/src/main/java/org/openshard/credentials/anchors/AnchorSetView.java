package org.openshard.credentials.anchors;

import java.util.Optional;

/** The anchor sets a verifier trusts, by epoch. Implementations must be thread-safe. */
@FunctionalInterface
public interface AnchorSetView {
  /** The trusted set of that epoch, if any. */
  Optional<AnchorSet> byEpoch(long epoch);
}
