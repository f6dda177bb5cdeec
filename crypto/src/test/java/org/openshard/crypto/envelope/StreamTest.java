package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.crypto.envelope.Fixtures.NOW;
import static org.openshard.crypto.envelope.Fixtures.assertReason;
import static org.openshard.crypto.envelope.Fixtures.flipBit;
import static org.openshard.crypto.envelope.Fixtures.wire;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException.Reason;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.EncryptedChunk;
import org.openshard.proto.v1.StreamPayload;

/** STR-5..STR-8: the response stream rejects every reordering, replay, drop, truncation and tamper. */
class StreamTest {
  private Fixtures fx;
  private SealedEnvelope sealed;
  private OpenedEnvelope opened;
  private List<EncryptedChunk> chunks;
  private ChunkOpener in;
  private SealingInputs inputs;

  private static StreamPayload payload(int i) {
    return StreamPayload.newBuilder().setOpenaiChunkJson("{\"choices\":[{\"delta\":{\"content\":\"" + i + "\"}}]}").build();
  }

  @BeforeEach
  void streamOfFourChunks() throws Exception {
    fx = new Fixtures(CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM);
    inputs = new SealingInputs(
        SecureRandoms.bytes(32), SecureRandoms.bytes(32), SecureRandoms.bytes(16), SecureRandoms.bytes(12),
        SecureRandoms.bytes(12));
    sealed = EnvelopeSealer.sealForTesting(fx.announcement, Fixtures.query("stream").toByteArray(), NOW, inputs);
    opened = fx.opener.open(wire(sealed), NOW);
    ChunkSealer out = opened.session().responseSealer();
    chunks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chunks.add(out.seal(payload(i), false));
    }
    chunks.add(out.seal(StreamPayload.getDefaultInstance(), true));
    assertTrue(out.isFinished());
    in = sealed.session().responseOpener();
  }

  @Test
  void inOrderStreamOpensAndFinishes() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(payload(i), in.open(chunks.get(i)));
      assertFalse(in.isFinished());
    }
    assertEquals(StreamPayload.getDefaultInstance(), in.open(chunks.get(3)));
    assertTrue(in.isFinished());
    in.finish();
  }

  @Test
  void replayedChunkIsAStreamIntegrityError() throws Exception {
    in.open(chunks.get(0));
    in.open(chunks.get(1));
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(chunks.get(1)));
  }

  @Test
  void reorderedChunkIsAStreamIntegrityError() throws Exception {
    in.open(chunks.get(0));
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(chunks.get(2)));
  }

  @Test
  void firstChunkMustBeSequenceZero() {
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(chunks.get(1)));
  }

  @Test
  void droppedChunkRelabelledWithTheMissingSequenceFailsAuthentication() throws Exception {
    in.open(chunks.get(0));
    EncryptedChunk relabelled = chunks.get(2).toBuilder().setSequence(1).build();
    assertReason(Reason.DECRYPTION_FAILED, () -> in.open(relabelled));
  }

  @Test
  void truncatedStreamFailsAtFinish() throws Exception {
    in.open(chunks.get(0));
    in.open(chunks.get(1));
    assertReason(Reason.STREAM_INTEGRITY, in::finish);
  }

  @Test
  void emptyStreamFailsAtFinish() {
    assertReason(Reason.STREAM_INTEGRITY, in::finish);
  }

  @Test
  void chunkAfterTheFinalChunkIsAStreamIntegrityError() throws Exception {
    for (EncryptedChunk c : chunks) {
      in.open(c);
    }
    EncryptedChunk extra = chunks.get(3).toBuilder().setSequence(4).build();
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(extra));
    assertReason(Reason.STREAM_INTEGRITY, in::finish);
  }

  @Test
  void sealerRefusesToSealAfterTheFinalChunk() throws Exception {
    SealedEnvelope s2 = fx.seal("again");
    ChunkSealer out = fx.opener.open(wire(s2), NOW).session().responseSealer();
    out.seal(payload(0), true);
    assertReason(Reason.STREAM_INTEGRITY, () -> out.seal(payload(1), false));
  }

  @Test
  void flippingTheFinalFlagFailsAuthentication() throws Exception {
    in.open(chunks.get(0));
    EncryptedChunk earlyFinal = chunks.get(1).toBuilder().setFinal(true).build();
    assertReason(Reason.DECRYPTION_FAILED, () -> in.open(earlyFinal));
  }

  @Test
  void unsettingTheFinalFlagFailsAuthentication() throws Exception {
    for (int i = 0; i < 3; i++) {
      in.open(chunks.get(i));
    }
    assertReason(Reason.DECRYPTION_FAILED, () -> in.open(chunks.get(3).toBuilder().setFinal(false).build()));
  }

  @Test
  void everyFlippedCiphertextBitFailsAuthentication() throws Exception {
    byte[] ct = chunks.get(0).getCiphertext().toByteArray();
    for (int bit = 0; bit < ct.length * 8; bit++) {
      ChunkOpener fresh = freshOpenerForTheSameStream();
      EncryptedChunk t = chunks.get(0).toBuilder().setCiphertext(ByteString.copyFrom(flipBit(ct, bit))).build();
      assertReason(Reason.DECRYPTION_FAILED, () -> fresh.open(t));
    }
  }

  @Test
  void shortCiphertextFailsAuthentication() {
    EncryptedChunk t = chunks.get(0).toBuilder().setCiphertext(ByteString.copyFrom(new byte[15])).build();
    assertReason(Reason.DECRYPTION_FAILED, () -> in.open(t));
  }

  @Test
  void chunkFromAnotherSessionFailsAuthentication() throws Exception {
    SealedEnvelope other = fx.seal("other session");
    ChunkOpener otherIn = other.session().responseOpener();
    assertReason(Reason.DECRYPTION_FAILED, () -> otherIn.open(chunks.get(0)));
  }

  @Test
  void chunkSealedInTheOtherDirectionFailsAuthentication() throws Exception {
    // The buyer's own request stream sealed with the same sequence numbers cannot pass as a response.
    EncryptedChunk fromBuyer = sealed.session().requestSealer().seal(payload(0), false);
    assertReason(Reason.DECRYPTION_FAILED, () -> in.open(fromBuyer));
  }

  @Test
  void afterAFailureTheOpenerRefusesEverything() throws Exception {
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(chunks.get(1)));
    assertReason(Reason.STREAM_INTEGRITY, () -> in.open(chunks.get(0)));
    assertReason(Reason.STREAM_INTEGRITY, in::finish);
  }

  /**
   * A failed opener is dead, so each attempt needs a new one for the same session: sealing again
   * with the same injected randomness reproduces the session exactly.
   */
  private ChunkOpener freshOpenerForTheSameStream() throws Exception {
    return EnvelopeSealer.sealForTesting(fx.announcement, Fixtures.query("stream").toByteArray(), NOW, inputs)
        .session()
        .responseOpener();
  }
}
