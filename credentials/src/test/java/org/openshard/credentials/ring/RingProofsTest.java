package org.openshard.credentials.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.Fixtures;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.Scope;
import org.openshard.credentials.anchors.AnchorSetView;
import org.openshard.crypto.Secp256k1;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.ZkProof;

class RingProofsTest {
  private static final long EPOCH = 480_000;
  private static final int K = 8;
  private static final Fixtures POP = Fixtures.population(80, 7);
  private static final AnchorSetView TRUSTED = POP.trusted();

  private static Nullifier verify(RingProof p, byte[] digest) throws CredentialException {
    return RingProofs.verify(p.commitment(), p.proof(), TRUSTED, Fixtures.SELLER, EPOCH, K, digest);
  }

  private static Nullifier verify(BuyerCommitment c, ZkProof z) throws CredentialException {
    return RingProofs.verify(c, z, TRUSTED, Fixtures.SELLER, EPOCH, K, Fixtures.digest(1));
  }

  /** Ring of the given size made of population members [first, first+size) with the signer at pos. */
  private static List<Integer> ringFor(BuyerCredential signer, int size) throws CredentialException {
    return RingSelector.choose(POP.set, signer.anchor(), size, Fixtures.RANDOM);
  }

  private static RingProof prove(BuyerCredential c, int size, Scope scope, byte[] digest) throws CredentialException {
    return RingProofs.prove(c, POP.set, ringFor(c, size), scope, digest, Fixtures.RANDOM);
  }

  private static Scope scope(long epoch, int slot) throws CredentialException {
    return Scope.of(Fixtures.SELLER, epoch, slot);
  }

  private static void assertRejected(Reason reason, org.junit.jupiter.api.function.Executable e) {
    CredentialException ex = assertThrows(CredentialException.class, e);
    assertEquals(reason, ex.reason(), ex.getMessage());
  }

  // --- completeness -------------------------------------------------------------------------

  @Test
  void dleqProofWithOneMemberVerifies() throws Exception {
    BuyerCredential c = POP.credentials.get(0);
    RingProof p = prove(c, 1, scope(EPOCH, 0), Fixtures.digest(1));
    assertEquals(1, p.commitment().getMemberIndicesCount());
    assertEquals(1, p.proof().getResponsesCount());
    Nullifier n = verify(p, Fixtures.digest(1));
    assertEquals(p.nullifier(), n);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4, 16, 64})
  void completeness(int n) throws Exception {
    BuyerCredential c = POP.credentials.get(n % POP.credentials.size());
    RingProof p = prove(c, n, scope(EPOCH, 3), Fixtures.digest(n));
    assertEquals(n, p.commitment().getMemberIndicesCount());
    assertEquals(n, p.proof().getResponsesCount());
    assertEquals(p.nullifier(), verify(p, Fixtures.digest(n)));
  }

  @Test
  void randomRingsAndSignerPositions() throws Exception {
    for (int round = 0; round < 40; round++) {
      int n = 1 + Fixtures.RANDOM.nextInt(16);
      BuyerCredential c = POP.credentials.get(Fixtures.RANDOM.nextInt(POP.credentials.size()));
      List<Integer> ring = ringFor(c, n);
      int signerPos = ring.indexOf(POP.set.indexOf(c.anchor()));
      assertTrue(signerPos >= 0);
      byte[] digest = Fixtures.digest(round);
      Scope s = scope(EPOCH - (round % 2), round % K);
      RingProof p = RingProofs.prove(c, POP.set, ring, s, digest, Fixtures.RANDOM);
      assertEquals(p.nullifier(), verify(p, digest), "n=" + n + " signer at " + signerPos);
    }
  }

  @Test
  void signerAtEveryPositionOfOneRing() throws Exception {
    List<Integer> ring = List.of(2, 5, 11, 17, 23, 40, 41, 79);
    for (int idx : ring) {
      BuyerCredential c = POP.credentials.get(0);
      for (BuyerCredential cand : POP.credentials) {
        if (POP.set.indexOf(cand.anchor()) == idx) {
          c = cand;
        }
      }
      RingProof p = RingProofs.prove(c, POP.set, ring, scope(EPOCH, 1), Fixtures.digest(9), Fixtures.RANDOM);
      assertEquals(p.nullifier(), verify(p, Fixtures.digest(9)));
    }
  }

  @Test
  void nullifierKnownAnswer() throws Exception {
    // x from BuyerCredentialTest's wallet vector; Hp, I and SHA-256(I) recomputed independently in
    // Python (RFC 9380 SSWU + 3-isogeny, affine arithmetic) from the documented scope encoding.
    BuyerCredential c =
        BuyerCredential.fromSecret(
            org.openshard.crypto.Bytes.fromHex("32f323c1b9f3e03bbf9e47f9ac521f393b5bb490b95c4c1de13b1f2a3c541b44"));
    Scope s = Scope.of("0x1111111111111111111111111111111111111111", 480_000, 3);
    assertEquals(
        "0378c32ba91c3bd6e6c195a86c37f7d0f40353b48aa334d8c06399e0430c4e7b4d",
        org.openshard.crypto.Bytes.hex(RingProofs.scopePoint(s.encode()).getEncoded(true)));
    org.openshard.credentials.anchors.AnchorSet set =
        org.openshard.credentials.anchors.AnchorSet.of(1, List.of(c.anchor(), POP.credentials.get(0).anchor()), 0);
    RingProof p = RingProofs.prove(c, set, List.of(0, 1), s, Fixtures.digest(1), Fixtures.RANDOM);
    assertEquals(
        "025abdac4b240f99e458239fd260f4da6e53e87ae2e29e67dc2be65466bb60281f",
        org.openshard.crypto.Bytes.hex(p.nullifier().toBytes()));
    assertEquals("3ef354eab36035b9e3856c0a688de78488f994ecf252f9bcd716cdeec29e8a99", p.nullifier().hashHex());
    org.openshard.credentials.anchors.TrustedAnchorSets t = new org.openshard.credentials.anchors.TrustedAnchorSets(1);
    t.add(set);
    assertEquals(p.nullifier(), RingProofs.verify(p.commitment(), p.proof(), t, s.sellerId(), 480_000, 8, Fixtures.digest(1)));
  }

  // --- linkability / unlinkability -----------------------------------------------------------

  @Test
  void sameScopeGivesSameNullifierAcrossRings() throws Exception {
    BuyerCredential c = POP.credentials.get(5);
    Scope s = scope(EPOCH, 2);
    Nullifier a = verify(prove(c, 1, s, Fixtures.digest(1)), Fixtures.digest(1));
    Nullifier b = verify(prove(c, 8, s, Fixtures.digest(2)), Fixtures.digest(2));
    Nullifier d = verify(prove(c, 16, s, Fixtures.digest(3)), Fixtures.digest(3));
    assertEquals(a, b);
    assertEquals(a, d);
    assertEquals(new BigInteger(1, a.hash()), new BigInteger(1, d.hash()));
  }

  @Test
  void differentScopesGiveDifferentNullifiers() throws Exception {
    BuyerCredential c = POP.credentials.get(6);
    Nullifier base = prove(c, 4, scope(EPOCH, 0), Fixtures.digest(1)).nullifier();
    assertNotEquals(base, prove(c, 4, scope(EPOCH - 1, 0), Fixtures.digest(1)).nullifier());
    assertNotEquals(base, prove(c, 4, scope(EPOCH, 1), Fixtures.digest(1)).nullifier());
    assertNotEquals(
        base, prove(c, 4, Scope.of(Fixtures.OTHER_SELLER, EPOCH, 0), Fixtures.digest(1)).nullifier());
    // Another credential, same scope.
    assertNotEquals(base, prove(POP.credentials.get(7), 4, scope(EPOCH, 0), Fixtures.digest(1)).nullifier());
  }

  // --- soundness -----------------------------------------------------------------------------

  private static RingProof honest(int n) throws CredentialException {
    return prove(POP.credentials.get(10), n, scope(EPOCH, 0), Fixtures.digest(1));
  }

  private static ByteString bump(ByteString scalar) {
    BigInteger v = new BigInteger(1, scalar.toByteArray()).add(BigInteger.ONE).mod(Secp256k1.N);
    if (v.signum() == 0) {
      v = BigInteger.ONE;
    }
    return ByteString.copyFrom(Secp256k1.to32Bytes(v));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void modifiedChallengeFails(int n) throws Exception {
    RingProof p = honest(n);
    ZkProof z = p.proof().toBuilder().setChallenge(bump(p.proof().getChallenge())).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), z));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void modifiedResponseFailsAtEveryPosition(int n) throws Exception {
    RingProof p = honest(n);
    for (int i = 0; i < n; i++) {
      ZkProof z = p.proof().toBuilder().setResponses(i, bump(p.proof().getResponses(i))).build();
      assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), z));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5})
  void substitutedKeyImageFails(int n) throws Exception {
    RingProof p = honest(n);
    // Another valid point: the key image of a different credential for the same scope.
    ByteString other = prove(POP.credentials.get(11), 1, scope(EPOCH, 0), Fixtures.digest(1)).proof().getKeyImage();
    ZkProof z = p.proof().toBuilder().setKeyImage(other).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), z));
    // The negated key image (same x, flipped prefix byte) must fail too.
    byte[] neg = p.proof().getKeyImage().toByteArray();
    neg[0] = (byte) (neg[0] == 2 ? 3 : 2);
    ZkProof z2 = p.proof().toBuilder().setKeyImage(ByteString.copyFrom(neg)).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), z2));
  }

  @Test
  void keyImageFromAnotherSecretFails() throws Exception {
    BuyerCredential c = POP.credentials.get(12);
    BigInteger otherSecret = POP.credentials.get(13).secretScalar();
    int[] ring = {POP.set.indexOf(c.anchor())};
    for (int n : new int[] {1, 6}) {
      List<Integer> chosen = ringFor(c, n);
      ring = chosen.stream().mapToInt(Integer::intValue).toArray();
      int pos = chosen.indexOf(POP.set.indexOf(c.anchor()));
      RingProof forged =
          RingProofs.sign(c.secretScalar(), otherSecret, POP.set, ring, pos, scope(EPOCH, 0), Fixtures.digest(1), Fixtures.RANDOM);
      assertRejected(Reason.PROOF_INVALID, () -> verify(forged, Fixtures.digest(1)));
    }
  }

  @Test
  void responderNotInRingFails() throws Exception {
    BuyerCredential outsider = BuyerCredential.generate(Fixtures.RANDOM); // not in the anchor set
    int[] ring = {3, 9, 27, 50};
    for (int pos = 0; pos < ring.length; pos++) {
      RingProof forged =
          RingProofs.sign(
              outsider.secretScalar(), outsider.secretScalar(), POP.set, ring, pos, scope(EPOCH, 0), Fixtures.digest(1), Fixtures.RANDOM);
      assertRejected(Reason.PROOF_INVALID, () -> verify(forged, Fixtures.digest(1)));
    }
    // A member of the set who is not in this ring cannot sign for it either.
    BuyerCredential member = POP.credentials.get(0);
    int memberIndex = POP.set.indexOf(member.anchor());
    int[] ring2 = memberIndex == 3 ? new int[] {4, 9} : new int[] {3, 9};
    if (memberIndex == 9) {
      ring2 = new int[] {3, 10};
    }
    int[] finalRing = ring2;
    RingProof forged =
        RingProofs.sign(member.secretScalar(), member.secretScalar(), POP.set, finalRing, 0, scope(EPOCH, 0), Fixtures.digest(1), Fixtures.RANDOM);
    assertRejected(Reason.PROOF_INVALID, () -> verify(forged, Fixtures.digest(1)));
    // And prove() refuses up front.
    assertRejected(
        Reason.INVALID_ARGUMENT,
        () -> RingProofs.prove(outsider, POP.set, List.of(3, 9), scope(EPOCH, 0), Fixtures.digest(1), Fixtures.RANDOM));
  }

  @Test
  void wrongRingFails() throws Exception {
    RingProof p = honest(4);
    List<Integer> idx = new ArrayList<>(p.commitment().getMemberIndicesList());
    // Replace one non-signer member with another index.
    int signerIndex = POP.set.indexOf(POP.credentials.get(10).anchor());
    int replacePos = idx.get(0) == signerIndex ? 1 : 0;
    int candidate = 0;
    while (idx.contains(candidate)) {
      candidate++;
    }
    idx.set(replacePos, candidate);
    idx.sort(null);
    BuyerCommitment c = p.commitment().toBuilder().clearMemberIndices().addAllMemberIndices(idx).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(c, p.proof()));
    // Dropping a member also fails (and is caught as a count mismatch first).
    BuyerCommitment shorter =
        p.commitment().toBuilder().clearMemberIndices().addAllMemberIndices(p.commitment().getMemberIndicesList().subList(0, 3)).build();
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(shorter, p.proof()));
  }

  @Test
  void wrongScopeFails() throws Exception {
    RingProof p = honest(3);
    // Still an accepted scope, but not the one signed: the proof must not verify.
    ZkProof otherSlot = p.proof().toBuilder().setScope(scope(EPOCH, 1).toProto()).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), otherSlot));
    ZkProof otherEpoch = p.proof().toBuilder().setScope(scope(EPOCH - 1, 0).toProto()).build();
    assertRejected(Reason.PROOF_INVALID, () -> verify(p.commitment(), otherEpoch));
    // Verified by a different seller: the scope names someone else.
    assertRejected(
        Reason.SCOPE_INVALID,
        () -> RingProofs.verify(p.commitment(), p.proof(), TRUSTED, Fixtures.OTHER_SELLER, EPOCH, K, Fixtures.digest(1)));
    // And relabelling the scope to that seller breaks the proof.
    ZkProof relabelled =
        p.proof().toBuilder().setScope(Scope.of(Fixtures.OTHER_SELLER, EPOCH, 0).toProto()).build();
    assertRejected(
        Reason.PROOF_INVALID,
        () -> RingProofs.verify(p.commitment(), relabelled, TRUSTED, Fixtures.OTHER_SELLER, EPOCH, K, Fixtures.digest(1)));
  }

  @Test
  void wrongMessageFails() throws Exception {
    RingProof p = honest(4);
    assertRejected(Reason.PROOF_INVALID, () -> verify(p, Fixtures.digest(2)));
    RingProof p1 = honest(1);
    assertRejected(Reason.PROOF_INVALID, () -> verify(p1, Fixtures.digest(2)));
  }

  @Test
  void proofIsBoundToTheAnchorSet() throws Exception {
    // Same anchors, another epoch: the digest differs, and the transcript binds the epoch.
    RingProof p = honest(4);
    org.openshard.credentials.anchors.AnchorSet copy =
        org.openshard.credentials.anchors.AnchorSet.of(8, POP.set.anchors(), 0);
    org.openshard.credentials.anchors.TrustedAnchorSets both = new org.openshard.credentials.anchors.TrustedAnchorSets(4);
    both.add(POP.set);
    both.add(copy);
    BuyerCommitment moved =
        p.commitment().toBuilder().setAnchorSetEpoch(8).setAnchorSetDigest(ByteString.copyFrom(copy.digest())).build();
    assertRejected(
        Reason.PROOF_INVALID,
        () -> RingProofs.verify(moved, p.proof(), both, Fixtures.SELLER, EPOCH, K, Fixtures.digest(1)));
  }

  // --- scope policy --------------------------------------------------------------------------

  @Test
  void scopePolicy() throws Exception {
    BuyerCredential c = POP.credentials.get(20);
    RingProof current = prove(c, 2, scope(EPOCH, K - 1), Fixtures.digest(1));
    verify(current, Fixtures.digest(1));
    RingProof previous = prove(c, 2, scope(EPOCH - 1, 0), Fixtures.digest(1));
    verify(previous, Fixtures.digest(1));
    RingProof tooOld = prove(c, 2, scope(EPOCH - 2, 0), Fixtures.digest(1));
    assertRejected(Reason.SCOPE_INVALID, () -> verify(tooOld, Fixtures.digest(1)));
    RingProof future = prove(c, 2, scope(EPOCH + 1, 0), Fixtures.digest(1));
    assertRejected(Reason.SCOPE_INVALID, () -> verify(future, Fixtures.digest(1)));
    RingProof slotK = prove(c, 2, scope(EPOCH, K), Fixtures.digest(1));
    assertRejected(Reason.SCOPE_INVALID, () -> verify(slotK, Fixtures.digest(1)));
  }

  // --- malformed input -----------------------------------------------------------------------

  @Test
  void malformedInputsAreRejectedWithTypedReasons() throws Exception {
    RingProof p = honest(4);
    BuyerCommitment c = p.commitment();
    ZkProof z = p.proof();
    ByteString zero = ByteString.copyFrom(new byte[32]);
    ByteString nScalar = ByteString.copyFrom(Secp256k1.to32Bytes(Secp256k1.N));

    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setChallenge(zero).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setChallenge(nScalar).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setChallenge(ByteString.copyFrom(new byte[31])).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setResponses(2, nScalar).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setResponses(0, zero).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().addResponses(z.getResponses(0)).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().clearScheme().build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().clearScope().build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setKeyImage(ByteString.copyFrom(new byte[33])).build()));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setKeyImage(ByteString.EMPTY).build()));
    byte[] offCurve = new byte[33];
    offCurve[0] = 2;
    offCurve[32] = 7; // x = 7: x^3 + 7 = 350 is not a square mod p
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setKeyImage(ByteString.copyFrom(offCurve)).build()));
    byte[] uncompressed = Nullifier.fromBytes(z.getKeyImage().toByteArray()).point().getEncoded(false);
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c, z.toBuilder().setKeyImage(ByteString.copyFrom(uncompressed)).build()));

    List<Integer> idx = c.getMemberIndicesList();
    assertRejected(Reason.INVALID_ARGUMENT,
        () -> verify(c.toBuilder().clearMemberIndices().addMemberIndices(idx.get(1)).addMemberIndices(idx.get(0))
            .addMemberIndices(idx.get(2)).addMemberIndices(idx.get(3)).build(), z));
    assertRejected(Reason.INVALID_ARGUMENT,
        () -> verify(c.toBuilder().setMemberIndices(1, idx.get(0)).build(), z)); // duplicate
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c.toBuilder().setMemberIndices(3, POP.set.size()).build(), z));
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c.toBuilder().setMemberIndices(3, -1).build(), z)); // uint32 2^32-1
    assertRejected(Reason.INVALID_ARGUMENT, () -> verify(c.toBuilder().clearMemberIndices().build(), z.toBuilder().clearResponses().build()));
    assertRejected(Reason.INVALID_ARGUMENT,
        () -> verify(c.toBuilder().setAnchorSetDigest(ByteString.copyFrom(new byte[31])).build(), z));
    assertRejected(Reason.INVALID_ARGUMENT,
        () -> RingProofs.verify(c, z, TRUSTED, Fixtures.SELLER, EPOCH, K, new byte[31]));
  }

  @Test
  void ringLimits() throws Exception {
    RingProof p = honest(2);
    BuyerCommitment.Builder big = p.commitment().toBuilder().clearMemberIndices();
    ZkProof.Builder bigProof = p.proof().toBuilder().clearResponses();
    for (int i = 0; i < RingProofs.MAX_RING_SIZE + 1; i++) {
      big.addMemberIndices(i);
      bigProof.addResponses(p.proof().getResponses(0));
    }
    assertRejected(Reason.LIMIT_EXCEEDED, () -> verify(big.build(), bigProof.build()));
    List<Integer> tooMany = new ArrayList<>();
    for (int i = 0; i < RingProofs.MAX_RING_SIZE + 1; i++) {
      tooMany.add(i);
    }
    assertRejected(
        Reason.LIMIT_EXCEEDED,
        () -> RingProofs.prove(POP.credentials.get(0), POP.set, tooMany, scope(EPOCH, 0), Fixtures.digest(1), Fixtures.RANDOM));
  }

  @Test
  void unknownAnchorSet() throws Exception {
    RingProof p = honest(3);
    assertRejected(Reason.UNKNOWN_ANCHOR_SET, () -> verify(p.commitment().toBuilder().setAnchorSetEpoch(99).build(), p.proof()));
    byte[] d = POP.set.digest();
    d[0] ^= 1;
    assertRejected(
        Reason.UNKNOWN_ANCHOR_SET,
        () -> verify(p.commitment().toBuilder().setAnchorSetDigest(ByteString.copyFrom(d)).build(), p.proof()));
    assertRejected(
        Reason.UNKNOWN_ANCHOR_SET,
        () -> RingProofs.verify(p.commitment(), p.proof(), epoch -> java.util.Optional.empty(), Fixtures.SELLER, EPOCH, K, Fixtures.digest(1)));
  }

  @Test
  void errorsCarryWireCodes() throws Exception {
    RingProof p = honest(1);
    CredentialException e =
        assertThrows(CredentialException.class, () -> verify(p, Fixtures.digest(7)));
    assertEquals(org.openshard.proto.v1.ErrorCode.PROOF_INVALID, e.errorCode());
    CredentialException s =
        assertThrows(
            CredentialException.class,
            () -> RingProofs.verify(p.commitment(), p.proof(), TRUSTED, Fixtures.SELLER, EPOCH + 5, K, Fixtures.digest(1)));
    assertEquals(org.openshard.proto.v1.ErrorCode.SCOPE_INVALID, s.errorCode());
    assertEquals("zk_proof.scope.epoch", s.field());
  }
}
