package org.openshard.seller.envelope;

import java.time.Clock;
import java.util.Objects;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.envelope.ChunkSealer;
import org.openshard.crypto.envelope.EnvelopeOpener;
import org.openshard.crypto.envelope.OpenedEnvelope;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.seller.pipeline.EnvelopeDecryptor;
import org.openshard.seller.pipeline.OpenedQuery;
import org.openshard.seller.pipeline.ResponseSealer;
import org.openshard.seller.pipeline.StageException;

/**
 * The decryption stage on the real envelope ({@link EnvelopeOpener}, ENV-13): ECDH with the
 * buyer's ephemeral key, the session key, then the query; the response is sealed with the
 * session's seller-to-buyer {@link ChunkSealer}.
 */
public final class OpenerDecryptor implements EnvelopeDecryptor {
  private final EnvelopeOpener opener;
  private final Clock clock;

  public OpenerDecryptor(EnvelopeOpener opener, Clock clock) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public OpenedQuery open(PrivacyEnvelope envelope) throws StageException {
    OpenedEnvelope opened;
    ChunkSealer sealer;
    try {
      opened = opener.open(envelope, clock.instant());
      sealer = opened.session().responseSealer();
    } catch (CryptoException e) {
      throw EnvelopeErrors.isUnparsableQuery(e) ? EnvelopeErrors.unparsableQuery("encrypted_query") : EnvelopeErrors.toStage(e);
    }
    return new OpenedQuery(opened.query(), sealerOf(sealer), opened.session().resumption());
  }

  /** Adapts a crypto {@link ChunkSealer} to the pipeline's {@link ResponseSealer}. */
  public static ResponseSealer sealerOf(ChunkSealer sealer) {
    return (StreamPayload payload, boolean last) -> {
      try {
        return sealer.seal(payload, last);
      } catch (CryptoException e) {
        if (e.reason() == CryptoException.Reason.INVALID_ENCODING) {
          throw StageException.of(ErrorCode.LIMIT_EXCEEDED, "chunk", "a response chunk is larger than the chunk limit");
        }
        throw EnvelopeErrors.toStage(e);
      } catch (IllegalStateException e) {
        throw StageException.of(ErrorCode.STREAM_INTEGRITY, "the response stream was already finished");
      }
    };
  }
}
