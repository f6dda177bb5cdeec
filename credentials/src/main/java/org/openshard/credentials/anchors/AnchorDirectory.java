package org.openshard.credentials.anchors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.proto.v1.EnrollAnchorRequest;

/**
 * An in-memory anchor directory for a registry: enrol anchors, publish numbered anchor-set epochs
 * (1, 2, …) each containing every anchor enrolled so far, and serve them by epoch. Keeps the newest
 * {@code retainEpochs} published sets. Thread-safe.
 */
public final class AnchorDirectory implements AnchorSetView {
  /** The outcome of an enrolment. */
  public record EnrollResult(long effectiveEpoch, boolean newlyEnrolled) {}

  private final int retainEpochs;
  /** Anchor → first epoch that contains (or will contain) it, in enrolment order. */
  private final Map<Anchor, Long> enrolled = new LinkedHashMap<>();
  private final TreeMap<Long, AnchorSet> published = new TreeMap<>();
  private long latestEpoch;

  public AnchorDirectory(int retainEpochs) {
    if (retainEpochs < 1) {
      throw new IllegalArgumentException("retainEpochs must be ≥ 1");
    }
    this.retainEpochs = retainEpochs;
  }

  /**
   * Rebuilds a directory from persisted state: the enrolled anchors and the published sets (any
   * order). Anchors found in a published set get that set's epoch as effective epoch.
   */
  public static AnchorDirectory restore(int retainEpochs, Collection<Anchor> anchors, Collection<AnchorSet> sets)
      throws CredentialException {
    AnchorDirectory d = new AnchorDirectory(retainEpochs);
    synchronized (d) {
      for (AnchorSet s : sets) {
        d.published.put(s.epoch(), s);
        d.latestEpoch = Math.max(d.latestEpoch, s.epoch());
      }
      for (AnchorSet s : d.published.values()) { // ascending epochs: first containing epoch wins
        for (Anchor a : s.anchors()) {
          d.enrolled.putIfAbsent(a, s.epoch());
        }
      }
      for (Anchor a : anchors) {
        if (!d.enrolled.containsKey(a)) {
          d.checkCapacity();
          d.enrolled.put(a, d.latestEpoch + 1);
        }
      }
      d.trim();
    }
    return d;
  }

  /** Verifies an enrolment request ({@link AnchorEnrollments#verify}) and enrols its anchor. */
  public EnrollResult enroll(EnrollAnchorRequest request, long nowMs, long maxSkewMs) throws CredentialException {
    return enroll(AnchorEnrollments.verify(request, nowMs, maxSkewMs));
  }

  /**
   * Enrols an already verified anchor. Idempotent: enrolling it again returns its effective epoch
   * with {@code newlyEnrolled = false}.
   *
   * @throws CredentialException LIMIT_EXCEEDED when {@link AnchorSet#MAX_ANCHORS} are enrolled
   */
  public synchronized EnrollResult enroll(Anchor anchor) throws CredentialException {
    Long existing = enrolled.get(anchor);
    if (existing != null) {
      return new EnrollResult(existing, false);
    }
    checkCapacity();
    long effective = latestEpoch + 1;
    enrolled.put(anchor, effective);
    return new EnrollResult(effective, true);
  }

  /** Publishes epoch latest + 1 with every anchor enrolled so far. */
  public synchronized AnchorSet publishNext(long publishedAtMs) throws CredentialException {
    AnchorSet set = AnchorSet.of(latestEpoch + 1, enrolled.keySet(), publishedAtMs);
    published.put(set.epoch(), set);
    latestEpoch = set.epoch();
    trim();
    return set;
  }

  @Override
  public synchronized Optional<AnchorSet> byEpoch(long epoch) {
    return Optional.ofNullable(published.get(epoch));
  }

  /** The newest published set, if any. */
  public synchronized Optional<AnchorSet> latest() {
    return latestEpoch == 0 ? Optional.empty() : byEpoch(latestEpoch);
  }

  /** GetAnchorSet semantics: epoch 0 means the latest. */
  public Optional<AnchorSet> forRequest(long epoch) {
    return epoch == 0 ? latest() : byEpoch(epoch);
  }

  public synchronized int enrolledCount() {
    return enrolled.size();
  }

  /** Enrolled anchors in enrolment order (a snapshot, for persistence). */
  public synchronized List<Anchor> enrolledAnchors() {
    return new ArrayList<>(enrolled.keySet());
  }

  private void checkCapacity() throws CredentialException {
    if (enrolled.size() >= AnchorSet.MAX_ANCHORS) {
      throw new CredentialException(Reason.LIMIT_EXCEEDED, "anchor", "the anchor directory is full (" + AnchorSet.MAX_ANCHORS + ")");
    }
  }

  private void trim() {
    while (published.size() > retainEpochs) {
      published.pollFirstEntry();
    }
  }
}
