package org.openshard.seller.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.NullifierId;
import org.openshard.seller.pipeline.NullifierStore;
import org.openshard.seller.pipeline.StageException;

/** An in-memory replay store that logs calls (tests only). */
public final class MemoryNullifierStore implements NullifierStore {
  private final Set<NullifierId> seen = ConcurrentHashMap.newKeySet();
  private final List<String> log;
  private volatile boolean down;

  public MemoryNullifierStore(List<String> log) {
    this.log = log;
  }

  public void setDown(boolean down) {
    this.down = down;
  }

  public int size() {
    return seen.size();
  }

  public boolean contains(NullifierId n) {
    return seen.contains(n);
  }

  @Override
  public void claim(NullifierId nullifier, Instant retainUntil) throws StageException {
    log.add("claim");
    if (down) {
      throw StageException.of(ErrorCode.STORE_UNAVAILABLE, "the replay store is unreachable");
    }
    if (!seen.add(nullifier)) {
      throw StageException.of(ErrorCode.NULLIFIER_REPLAYED, "zk_proof.key_image", "the nullifier was already used");
    }
  }
}
