package org.openshard.buyer.envelope;

import java.time.Clock;
import java.util.Objects;
import org.openshard.buyer.BuyerException;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.EnvelopeSealer;
import org.openshard.crypto.envelope.SealedEnvelope;
import org.openshard.crypto.envelope.SessionResumption;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;

/**
 * The real {@link EnvelopeFactory}: seals the query with {@link EnvelopeSealer} (fresh ephemeral
 * key, session key and session id per call), proves credential membership over the transcript
 * digest with a {@link CredentialProver}, and attaches the proof. The response is opened with the
 * session's {@link ChunkOpener}.
 */
public final class SealingEnvelopeFactory implements EnvelopeFactory {
  private final CredentialProver prover;
  private final Clock clock;

  public SealingEnvelopeFactory(CredentialProver prover, Clock clock) {
    this.prover = Objects.requireNonNull(prover);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public PreparedEnvelope prepare(SellerKey key, SealedQuery query, NullifierSlot slot) throws BuyerException {
    VerifiedKeyAnnouncement announcement = key.handle(VerifiedKeyAnnouncement.class);
    if (!slot.sellerId().equalsIgnoreCase(announcement.sellerId())) {
      throw BuyerException.of(ErrorCode.INTERNAL, "nullifier scope names another seller than the key");
    }
    SealedEnvelope sealed;
    try {
      sealed = EnvelopeSealer.seal(announcement, query, clock.instant());
    } catch (CryptoException e) {
      BuyerException be = CryptoErrors.toBuyer(e);
      // An expired or bad key is the seller's state, not the request's: another seller may do.
      throw e.reason() == CryptoException.Reason.INVALID_ENCODING ? be : be.withRetryable(true);
    }
    ProvenScope proof = prover.prove(slot, new TranscriptDigest(sealed.transcriptDigest()));
    PrivacyEnvelope envelope = sealed.toProto(proof.commitment(), proof.proof());
    return new Prepared(envelope, proof.nullifierHashHex(), sealed);
  }

  /** The buyer's view of a crypto {@link ChunkOpener}: crypto failures become typed BuyerExceptions. */
  static ResponseOpener wrap(ChunkOpener opener) {
    return new ResponseOpener() {
      @Override
      public StreamPayload open(EncryptedChunk chunk) throws BuyerException {
        try {
          return opener.open(chunk);
        } catch (CryptoException e) {
          throw CryptoErrors.toBuyer(e);
        }
      }

      @Override
      public void finish() throws BuyerException {
        try {
          opener.finish();
        } catch (CryptoException e) {
          throw CryptoErrors.toBuyer(e);
        }
      }
    };
  }

  private static final class Prepared implements PreparedEnvelope {
    private final PrivacyEnvelope envelope;
    private final String nullifierHashHex;
    private final SealedEnvelope sealed;

    Prepared(PrivacyEnvelope envelope, String nullifierHashHex, SealedEnvelope sealed) {
      this.envelope = envelope;
      this.nullifierHashHex = nullifierHashHex;
      this.sealed = sealed;
    }

    @Override
    public PrivacyEnvelope envelope() {
      return envelope;
    }

    @Override
    public String nullifierHashHex() {
      return nullifierHashHex;
    }

    @Override
    public SessionResumption resumption() {
      return sealed.session().resumption();
    }

    @Override
    public ResponseOpener responseOpener() throws BuyerException {
      try {
        return wrap(sealed.session().responseOpener());
      } catch (CryptoException e) {
        throw CryptoErrors.toBuyer(e);
      }
    }
  }
}
