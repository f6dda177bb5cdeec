package org.openshard.buyer.credential;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.NullifierSlot;
import org.openshard.buyer.envelope.ProvenScope;
import org.openshard.buyer.envelope.TranscriptDigest;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.Scope;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.ring.RingProof;
import org.openshard.credentials.ring.RingProofs;
import org.openshard.credentials.ring.RingSelector;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GetAnchorSetRequest;
import org.openshard.proto.v1.RegistryGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buyer credential at run time (protocol.md CRED-9, CRED-11): enrols the credential's anchor at
 * the registry (retrying with backoff), polls {@code GetAnchorSet} until a published set contains
 * the anchor, then refreshes it every 30 s; each proof draws a fresh random ring of {@code
 * min(ringSize, set size)} members from the latest such set and proves over the envelope's
 * transcript digest with the nullifier scope of the slot.
 */
public final class RingCredentialService implements CredentialService {
  private static final Logger LOG = LoggerFactory.getLogger(RingCredentialService.class);
  static final long CALL_TIMEOUT_MS = 5_000;
  static final long REFRESH_MS = 30_000;
  /**
   * A newly published anchor set is used only once it is this old, so that sellers (which refresh
   * every 30 s and fetch unknown epochs on demand, rate-limited) already trust it.
   */
  static final long ADOPTION_DELAY_MS = 45_000;
  /** Sellers trust the last 8 epochs; never prove over a set more than this many epochs behind. */
  static final int MAX_EPOCHS_BEHIND = 6;
  static final int SETS_KEPT = 8;

  private final BuyerCredential credential;
  private final int ringSize;
  private final SecureRandom random = SecureRandoms.get();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final ScheduledExecutorService scheduler;
  private volatile AnchorSet current;
  /** Published sets that contain the anchor, oldest first (at most SETS_KEPT). */
  private final java.util.concurrent.CopyOnWriteArrayList<AnchorSet> sets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.time.Clock clock;
  private volatile boolean closed;
  private volatile List<Channel> registries = List.of();
  private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

  RingCredentialService(BuyerCredential credential, int ringSize) {
    if (ringSize < 1 || ringSize > RingProofs.MAX_RING_SIZE) {
      throw new IllegalArgumentException("ring size must be 1.." + RingProofs.MAX_RING_SIZE + ", was " + ringSize);
    }
    this.credential = credential;
    this.ringSize = ringSize;
    this.clock = java.time.Clock.systemUTC();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "openshard-buyer-credential");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The credential of {@code file} (created with a fresh secret, mode 0600, if absent), or a fresh
   * in-memory credential if {@code file} is null.
   */
  public static RingCredentialService open(Path file, int ringSize) throws IOException {
    if (file == null) {
      return new RingCredentialService(BuyerCredential.generate(), ringSize);
    }
    CredentialFile.Loaded loaded =
        CredentialFile.loadOrCreate(
            file,
            () -> {
              BuyerCredential fresh = BuyerCredential.generate();
              return fresh.secretBytes();
            });
    byte[] secret = loaded.secret();
    try {
      if (loaded.created()) {
        LOG.info("created buyer credential file {} (mode 0600)", file);
      }
      return new RingCredentialService(BuyerCredential.fromSecret(secret), ringSize);
    } catch (CredentialException e) {
      throw new IOException("credential file " + file + " holds an invalid secret: " + e.getMessage());
    } finally {
      Bytes.wipe(secret);
      loaded.wipe();
    }
  }

  /** The credential's public anchor, hex (safe to show; it is what the registry enrols). */
  public String anchorHex() {
    return Bytes.hex(credential.anchor().toBytes());
  }

  @Override
  public synchronized void start(List<Channel> registryReplicas) {
    if (registryReplicas.isEmpty()) {
      throw new IllegalArgumentException("no registry");
    }
    this.registries = List.copyOf(registryReplicas);
    scheduler.execute(() -> enroll(250));
  }

  /** The replica calls go to now. */
  private Channel registry() {
    List<Channel> r = registries;
    return r.get(Math.floorMod(active.get(), r.size()));
  }

  /** After a failed call: the next replica gets the next call. */
  private void failOver(Channel failed) {
    List<Channel> r = registries;
    int i = active.get();
    if (r.size() > 1 && r.get(Math.floorMod(i, r.size())) == failed && active.compareAndSet(i, i + 1)) {
      LOG.info("registry call failed; using replica {} of {} next", Math.floorMod(i + 1, r.size()) + 1, r.size());
    }
  }

  @Override
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** The newest published anchor set that contains the buyer's anchor, or null. */
  public AnchorSet anchorSet() {
    return current;
  }

  /**
   * The set a proof uses now: the newest set containing the anchor that was published at least
   * {@link #ADOPTION_DELAY_MS} ago and is at most {@link #MAX_EPOCHS_BEHIND} epochs behind the
   * newest; otherwise the oldest set that is not too far behind (at start-up, the only one).
   */
  AnchorSet setForProof() {
    AnchorSet newest = current;
    if (newest == null) {
      return null;
    }
    long cutoff = clock.millis() - ADOPTION_DELAY_MS;
    AnchorSet chosen = null;
    AnchorSet oldestUsable = null;
    for (AnchorSet s : sets) {
      if (newest.epoch() - s.epoch() > MAX_EPOCHS_BEHIND) {
        continue;
      }
      if (oldestUsable == null) {
        oldestUsable = s;
      }
      if (s.publishedAtMs() <= cutoff) {
        chosen = s;
      }
    }
    if (chosen != null) {
      return chosen;
    }
    return oldestUsable != null ? oldestUsable : newest;
  }

  private void enroll(long backoffMs) {
    if (closed) {
      return;
    }
    Channel registry = registry();
    try {
      EnrollAnchorResponse r =
          withRootContext(
              () ->
                  RegistryGrpc.newBlockingStub(registry)
                      .withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                      .enrollAnchor(AnchorEnrollments.create(credential, System.currentTimeMillis(), random)));
      LOG.info("buyer anchor enrolled (effective anchor-set epoch {}, new: {})", r.getEffectiveEpoch(), r.getNewlyEnrolled());
      scheduler.execute(() -> fetch(250));
    } catch (RuntimeException e) {
      LOG.warn("anchor enrolment failed ({}); retrying in {} ms", Status.fromThrowable(e).getCode(), backoffMs);
      failOver(registry);
      scheduler.schedule(() -> enroll(Math.min(10_000, backoffMs * 2)), backoffMs, TimeUnit.MILLISECONDS);
    }
  }

  private void fetch(long pollMs) {
    if (closed) {
      return;
    }
    long next = fetchOnce(pollMs);
    scheduler.schedule(() -> fetch(next), next, TimeUnit.MILLISECONDS);
  }

  /** One GetAnchorSet; returns the delay until the next one. */
  long fetchOnce(long pollMs) {
    long next = ready.isDone() ? REFRESH_MS : Math.min(2_000, pollMs * 2);
    Channel registry = registry();
    try {
      org.openshard.proto.v1.AnchorSet p =
          withRootContext(
              () ->
                  RegistryGrpc.newBlockingStub(registry)
                      .withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                      .getAnchorSet(GetAnchorSetRequest.getDefaultInstance()));
      AnchorSet set = AnchorSet.fromProto(p);
      AnchorSet cur = current;
      if (set.contains(credential.anchor()) && (cur == null || set.epoch() > cur.epoch())) {
        sets.add(set);
        while (sets.size() > SETS_KEPT) {
          sets.remove(0);
        }
        current = set;
        if (set.size() < ringSize) {
          LOG.info("anchor set {} has {} anchors; rings will have {} members", set.epoch(), set.size(), set.size());
        }
        ready.complete(null);
        next = REFRESH_MS;
      }
    } catch (CredentialException e) {
      LOG.warn("registry published an invalid anchor set: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("GetAnchorSet failed ({})", Status.fromThrowable(e).getCode());
      failOver(registry);
    }
    return next;
  }

  @Override
  public ProvenScope prove(NullifierSlot slot, TranscriptDigest transcript) throws BuyerException {
    AnchorSet set = setForProof();
    if (set == null) {
      throw BuyerException.of(ErrorCode.UNKNOWN_ANCHOR_SET, "the buyer's anchor is not in a published anchor set yet");
    }
    try {
      List<Integer> ring = RingSelector.choose(set, credential.anchor(), ringSize, random);
      Scope scope = Scope.of(slot.sellerId(), slot.epoch(), slot.slot());
      RingProof proof = RingProofs.prove(credential, set, ring, scope, transcript.toBytes(), random);
      return new ProvenScope(proof.commitment(), proof.proof(), proof.nullifier().hashHex());
    } catch (CredentialException e) {
      throw BuyerException.of(e.errorCode(), "ring proof failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
  }

  private static <T> T withRootContext(java.util.function.Supplier<T> call) {
    Context previous = Context.ROOT.attach();
    try {
      return call.get();
    } finally {
      Context.ROOT.detach(previous);
    }
  }
}
