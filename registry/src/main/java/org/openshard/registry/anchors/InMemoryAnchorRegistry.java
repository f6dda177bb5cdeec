package org.openshard.registry.anchors;

import org.openshard.credentials.CredentialException;
import org.openshard.credentials.anchors.AnchorDirectory;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.registry.RegistryException;

/** The default anchor registry: one process, in memory ({@link AnchorDirectory}). */
public final class InMemoryAnchorRegistry implements AnchorRegistry {
  private final AnchorDirectory directory;
  private final long maxSkewMs;

  public InMemoryAnchorRegistry(int retainEpochs, long maxSkewMs) {
    this.directory = new AnchorDirectory(retainEpochs);
    this.maxSkewMs = maxSkewMs;
  }

  @Override
  public EnrollAnchorResponse enroll(EnrollAnchorRequest request, long nowMs) throws RegistryException {
    try {
      AnchorDirectory.EnrollResult r;
      synchronized (directory) {
        r = directory.enroll(AnchorEnrollments.verify(request, nowMs, maxSkewMs));
        if (r.newlyEnrolled()) {
          directory.publishNext(nowMs);
        }
      }
      return EnrollAnchorResponse.newBuilder()
          .setEffectiveEpoch(r.effectiveEpoch())
          .setNewlyEnrolled(r.newlyEnrolled())
          .build();
    } catch (CredentialException e) {
      throw AnchorRegistry.refusal(e);
    }
  }

  @Override
  public AnchorSet get(long epoch) throws RegistryException {
    return directory.forRequest(epoch).orElseThrow(() -> AnchorRegistry.notPublished(epoch)).toProto();
  }
}
