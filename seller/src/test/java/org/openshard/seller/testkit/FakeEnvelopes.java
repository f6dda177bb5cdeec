package org.openshard.seller.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.EnvelopeHeader;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.NullifierScope;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.ZkProof;
import org.openshard.seller.pipeline.EnvelopeDecryptor;
import org.openshard.seller.pipeline.NullifierId;
import org.openshard.seller.pipeline.OpenedQuery;
import org.openshard.seller.pipeline.ProofCheck;
import org.openshard.seller.pipeline.ResponseSealer;
import org.openshard.seller.pipeline.StageException;
import org.openshard.seller.pipeline.VerifiedProof;

/**
 * Stand-ins for the envelope and proof stages, with real AES-GCM so tests can check what the buyer
 * would decrypt. The "session key" travels in clear in encrypted_session_key (tests only); a proof
 * is "valid" iff its challenge is {@link #VALID_CHALLENGE}; the key image is the nullifier.
 */
public final class FakeEnvelopes {
  public static final ByteString VALID_CHALLENGE = ByteString.copyFromUtf8("valid-proof");
  public static final ByteString INVALID_CHALLENGE = ByteString.copyFromUtf8("forged-proof");

  private FakeEnvelopes() {}

  /** An envelope carrying {@code query}, with a fresh nullifier. */
  public static Built envelope(String sellerId, SealedQuery query, Clock clock) {
    return envelope(sellerId, query, clock, SecureRandoms.bytes(33), true);
  }

  public static Built envelope(String sellerId, SealedQuery query, Clock clock, byte[] keyImage, boolean validProof) {
    byte[] sessionKey = SecureRandoms.bytes(32);
    byte[] sessionId = SecureRandoms.bytes(16);
    try {
      byte[] eq = AesGcm.of(sessionKey).seal(query.toByteArray(), sessionId);
      PrivacyEnvelope env =
          PrivacyEnvelope.newBuilder()
              .setHeader(
                  EnvelopeHeader.newBuilder()
                      .setProtocolVersion(1)
                      .setCipherSuite(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM)
                      .setSellerId(sellerId)
                      .setSellerKeyId("k-test")
                      .setTimestampMs(clock.millis())
                      .setSessionId(ByteString.copyFrom(sessionId)))
              .setEncryptedQuery(ByteString.copyFrom(eq))
              .setBuyerCommitment(BuyerCommitment.newBuilder().setAnchorSetEpoch(1).addMemberIndices(0))
              .setZkProof(
                  ZkProof.newBuilder()
                      .setScope(NullifierScope.newBuilder().setSellerId(sellerId).setEpoch(1).setSlot(0))
                      .setChallenge(validProof ? VALID_CHALLENGE : INVALID_CHALLENGE)
                      .setKeyImage(ByteString.copyFrom(keyImage)))
              .setEncryptedSessionKey(ByteString.copyFrom(sessionKey))
              .setEphemeralPublicKey(ByteString.copyFrom(new byte[33]))
              .build();
      return new Built(env, sessionKey);
    } catch (CryptoException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An envelope and the key its response stream is sealed under. */
  public record Built(PrivacyEnvelope envelope, byte[] sessionKey) {
    /** Decrypts a response chunk as the buyer would; checks the sequence and the final flag. */
    public StreamPayload open(EncryptedChunk chunk) throws CryptoException, InvalidProtocolBufferException {
      byte[] pt =
          AesGcm.of(sessionKey)
              .decrypt(nonce(chunk.getSequence()), chunk.getCiphertext().toByteArray(), aad(chunk.getSequence(), chunk.getFinal()));
      return StreamPayload.parseFrom(pt);
    }
  }

  static byte[] nonce(long seq) {
    return Bytes.concat(new byte[4], Bytes.u64(seq));
  }

  static byte[] aad(long seq, boolean last) {
    return Bytes.concat("fake-stream".getBytes(java.nio.charset.StandardCharsets.UTF_8), Bytes.u64(seq), new byte[] {(byte) (last ? 1 : 0)});
  }

  /** Proof check: valid iff the challenge says so. Records each call into {@code log}. */
  public static ProofCheck proofCheck(List<String> log) {
    return env -> {
      log.add("proof");
      if (!env.getZkProof().getChallenge().equals(VALID_CHALLENGE)) {
        throw StageException.of(ErrorCode.PROOF_INVALID, "zk_proof", "the proof does not verify");
      }
      return new VerifiedProof(NullifierId.of(env.getZkProof().getKeyImage()), Instant.now().plusSeconds(7200));
    };
  }

  /** Decryptor: opens the test envelope format. Records each call into {@code log}. */
  public static EnvelopeDecryptor decryptor(List<String> log) {
    return env -> {
      log.add("decrypt");
      byte[] key = env.getEncryptedSessionKey().toByteArray();
      try {
        byte[] pt = AesGcm.of(key).open(env.getEncryptedQuery().toByteArray(), env.getHeader().getSessionId().toByteArray());
        SealedQuery q = SealedQuery.parseFrom(pt);
        return new OpenedQuery(q, sealer(key));
      } catch (CryptoException e) {
        throw StageException.of(ErrorCode.DECRYPTION_FAILED, "encrypted_query", "the query does not decrypt");
      } catch (InvalidProtocolBufferException e) {
        throw StageException.of(ErrorCode.INVALID_QUERY, "encrypted_query", "the query is not a SealedQuery");
      }
    };
  }

  static ResponseSealer sealer(byte[] key) {
    return new ResponseSealer() {
      private long next;
      private boolean done;

      @Override
      public synchronized EncryptedChunk seal(StreamPayload payload, boolean last) throws StageException {
        if (done) {
          throw StageException.of(ErrorCode.STREAM_INTEGRITY, "the final chunk was already sealed");
        }
        try {
          byte[] ct = AesGcm.of(key).encrypt(nonce(next), payload.toByteArray(), aad(next, last));
          EncryptedChunk c = EncryptedChunk.newBuilder().setSequence(next).setFinal(last).setCiphertext(ByteString.copyFrom(ct)).build();
          next++;
          done = last;
          return c;
        } catch (CryptoException e) {
          throw StageException.of(ErrorCode.INTERNAL, "sealing failed");
        }
      }
    };
  }

  /** A thread-safe call log. */
  public static List<String> log() {
    return new CopyOnWriteArrayList<>();
  }
}
