package org.openshard.registry.anchors;

import org.openshard.credentials.CredentialException;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.registry.RegistryException;

/**
 * Buyer credential anchors: enrolment (a Schnorr proof of knowledge of the anchor's secret, checked
 * by {@code AnchorEnrollments.verify}) and the published anchor sets buyers form rings from and
 * sellers verify rings against.
 *
 * <p>Publication policy: a newly enrolled anchor is published at once in a new epoch holding every
 * anchor enrolled so far, so {@code EnrollAnchorResponse.effective_epoch} is already fetchable when
 * the call returns. Older epochs stay fetchable for the retention period, so sellers can verify
 * rings built on a slightly older set.
 */
public interface AnchorRegistry extends AutoCloseable {
  EnrollAnchorResponse enroll(EnrollAnchorRequest request, long nowMs) throws RegistryException;

  /** The set of {@code epoch} (0 = latest). */
  AnchorSet get(long epoch) throws RegistryException;

  @Override
  default void close() {}

  /**
   * Maps a credentials failure to the registry's typed refusal: the shared status table, except a
   * full anchor directory, which is the registry's capacity, not the request's (ERR-3b).
   */
  static RegistryException refusal(CredentialException e) {
    if (e.reason() == CredentialException.Reason.LIMIT_EXCEEDED && e.field().equals("anchor")) {
      return RegistryException.capacity(e.field(), e.getMessage());
    }
    return new RegistryException(e.errorCode(), e.field(), e.getMessage());
  }

  static RegistryException notPublished(long epoch) {
    return new RegistryException(
        org.openshard.proto.v1.ErrorCode.UNKNOWN_ANCHOR_SET,
        "epoch",
        epoch == 0
            ? "no anchor set is published yet: no buyer has enrolled an anchor"
            : "anchor set epoch " + epoch + " is not published or no longer retained");
  }
}
