package org.openshard.seller.credentials;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.ring.RingProofs;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.envelope.EnvelopeOpener;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.seller.envelope.EnvelopeErrors;
import org.openshard.seller.pipeline.NullifierId;
import org.openshard.seller.pipeline.ProofCheck;
import org.openshard.seller.pipeline.StageException;
import org.openshard.seller.pipeline.VerifiedProof;

/**
 * The proof stage on real ring proofs: computes the envelope's transcript digest (ENV-8, no key
 * needed) and verifies the bLSAG proof over it against the trusted anchor sets, with its scope
 * bound to this seller, the current or previous epoch and a slot below K (CRED rules, section 6).
 * The nullifier is kept until {@link NullifierEpochs#replayExpiry}.
 */
public final class RingProofCheck implements ProofCheck {
  private final AnchorSets anchors;
  private final String sellerId;
  private final NullifierEpochs epochs;
  private final Duration skew;
  private final Clock clock;

  public RingProofCheck(AnchorSets anchors, String sellerId, NullifierEpochs epochs, Duration skew, Clock clock) {
    this.anchors = Objects.requireNonNull(anchors, "anchors");
    this.sellerId = Objects.requireNonNull(sellerId, "sellerId");
    this.epochs = Objects.requireNonNull(epochs, "epochs");
    this.skew = Objects.requireNonNull(skew, "skew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public NullifierEpochs epochs() {
    return epochs;
  }

  @Override
  public VerifiedProof verify(PrivacyEnvelope envelope) throws StageException {
    byte[] digest;
    try {
      digest = EnvelopeOpener.transcriptDigest(envelope);
    } catch (CryptoException e) {
      throw EnvelopeErrors.toStage(e);
    }
    long epoch = epochs.epochAt(clock.instant());
    long anchorEpoch = envelope.getBuyerCommitment().getAnchorSetEpoch();
    // A set published after our last refresh: fetch it once from the registry before judging.
    if (anchors.view().byEpoch(anchorEpoch).isEmpty()) {
      anchors.fetch(anchorEpoch);
    }
    Nullifier n;
    try {
      n =
          RingProofs.verify(
              envelope.getBuyerCommitment(), envelope.getZkProof(), anchors.view(), sellerId, epoch, epochs.slotsPerEpoch(), digest);
    } catch (CredentialException e) {
      throw StageException.of(e.errorCode(), e.field() == null ? "" : e.field(), e.getMessage());
    }
    long proofEpoch = envelope.getZkProof().getScope().getEpoch();
    return new VerifiedProof(NullifierId.of(ByteString.copyFrom(n.toBytes())), epochs.replayExpiry(proofEpoch, skew));
  }
}
