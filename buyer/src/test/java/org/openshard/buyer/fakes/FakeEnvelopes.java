package org.openshard.buyer.fakes;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.envelope.EnvelopeFactory;
import org.openshard.buyer.envelope.NullifierSlot;
import org.openshard.buyer.envelope.PreparedEnvelope;
import org.openshard.buyer.envelope.ResponseOpener;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.NullifierScope;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.ZkProof;

/**
 * Test stand-in for the envelope and credential modules: the "ciphertexts" are the plaintext
 * protobufs, the key image is random. Enough to drive the buyer's routing logic.
 */
public final class FakeEnvelopes implements EnvelopeFactory {
  public final List<NullifierSlot> slotsUsed = new CopyOnWriteArrayList<>();
  public volatile BuyerException failWith;

  @Override
  public PreparedEnvelope prepare(SellerKey key, SealedQuery query, NullifierSlot slot) throws BuyerException {
    if (failWith != null) {
      throw failWith;
    }
    slotsUsed.add(slot);
    byte[] keyImage = SecureRandoms.bytes(33);
    PrivacyEnvelope env =
        PrivacyEnvelope.newBuilder()
            .setHeader(
                EnvelopeHeader.newBuilder()
                    .setProtocolVersion(1)
                    .setCipherSuite(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM)
                    .setSellerId(key.sellerId())
                    .setSellerKeyId(key.keyId())
                    .setTimestampMs(System.currentTimeMillis())
                    .setSessionId(ByteString.copyFrom(SecureRandoms.bytes(16))))
            .setEncryptedQuery(query.toByteString())
            .setZkProof(
                ZkProof.newBuilder()
                    .setScope(NullifierScope.newBuilder().setSellerId(slot.sellerId()).setEpoch(slot.epoch()).setSlot(slot.slot()))
                    .setKeyImage(ByteString.copyFrom(keyImage)))
            .build();
    String nullifierHash = Bytes.hex(Hashes.sha256(keyImage));
    return new PreparedEnvelope() {
      @Override
      public PrivacyEnvelope envelope() {
        return env;
      }

      @Override
      public String nullifierHashHex() {
        return nullifierHash;
      }

      @Override
      public ResponseOpener responseOpener() {
        return new Opener();
      }
    };
  }

  /** In-order, final-terminated "decryption" of plaintext chunks. */
  static final class Opener implements ResponseOpener {
    private long next;
    private boolean finalSeen;

    @Override
    public StreamPayload open(EncryptedChunk chunk) throws BuyerException {
      if (finalSeen || chunk.getSequence() != next) {
        throw BuyerException.of(ErrorCode.STREAM_INTEGRITY, "chunk " + chunk.getSequence() + " out of order (expected " + next + ")");
      }
      next++;
      finalSeen = chunk.getFinal();
      try {
        return StreamPayload.parseFrom(chunk.getCiphertext());
      } catch (InvalidProtocolBufferException e) {
        throw BuyerException.of(ErrorCode.DECRYPTION_FAILED, "chunk does not open");
      }
    }

    @Override
    public void finish() throws BuyerException {
      if (!finalSeen) {
        throw BuyerException.of(ErrorCode.STREAM_INTEGRITY, "stream truncated before the final chunk");
      }
    }
  }
}
