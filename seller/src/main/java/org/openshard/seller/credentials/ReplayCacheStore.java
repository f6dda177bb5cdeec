package org.openshard.seller.credentials;

import java.time.Instant;
import java.util.Objects;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.replay.ClaimResult;
import org.openshard.credentials.replay.ReplayCache;
import org.openshard.credentials.replay.StoreUnavailableException;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.NullifierId;
import org.openshard.seller.pipeline.NullifierStore;
import org.openshard.seller.pipeline.StageException;

/** The nullifier stage on a credentials {@link ReplayCache} (file or Redis): one atomic claim. */
public final class ReplayCacheStore implements NullifierStore, AutoCloseable {
  private final ReplayCache cache;

  public ReplayCacheStore(ReplayCache cache) {
    this.cache = Objects.requireNonNull(cache, "cache");
  }

  @Override
  public void claim(NullifierId nullifier, Instant retainUntil) throws StageException {
    Nullifier n;
    try {
      n = Nullifier.fromBytes(nullifier.keyImage().toByteArray());
    } catch (CredentialException e) {
      throw StageException.of(ErrorCode.INVALID_ARGUMENT, "zk_proof.key_image", "the key image is not a valid point");
    }
    ClaimResult r;
    try {
      r = cache.claim(n, retainUntil);
    } catch (StoreUnavailableException e) {
      throw StageException.of(ErrorCode.STORE_UNAVAILABLE, "the replay store is unavailable; the request failed closed");
    } catch (IllegalArgumentException e) {
      throw StageException.of(ErrorCode.SCOPE_INVALID, "zk_proof.scope.epoch", "the proof's epoch is no longer accepted");
    }
    if (r == ClaimResult.REPLAYED) {
      throw StageException.of(
          ErrorCode.NULLIFIER_REPLAYED, "zk_proof.key_image", "the nullifier was already used with this seller");
    }
  }

  @Override
  public void close() {
    cache.close();
  }
}
