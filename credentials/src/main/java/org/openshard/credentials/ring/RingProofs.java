package org.openshard.credentials.ring;

import com.google.protobuf.ByteString;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.Nullifier;
import org.openshard.credentials.Scope;
import org.openshard.credentials.anchors.AnchorSet;
import org.openshard.credentials.anchors.AnchorSetView;
import org.openshard.credentials.h2c.HashToCurve;
import org.openshard.crypto.Secp256k1;
import org.openshard.proto.v1.BuyerCommitment;
import org.openshard.proto.v1.ProofScheme;
import org.openshard.proto.v1.ZkProof;

/**
 * bLSAG linkable ring signatures over secp256k1 with SHA-256 challenges (docs/protocol.md, section
 * 6). With one ring member the proof is a Chaum-Pedersen DLEQ proof that log_G(P) = log_Hp(I)
 * (the PLUME / ERC-7524 shape).
 *
 * <p>Signer at position π with secret x, ring P_0..P_(n-1), scope point Hp = hash_to_curve(scope),
 * key image I = x·Hp:
 *
 * <pre>
 * α random;  c_(π+1) = Hc(αG, αHp)
 * for i = π+1 .. π-1 (mod n): r_i random;  c_(i+1) = Hc(r_i·G + c_i·P_i, r_i·Hp + c_i·I)
 * r_π = α − c_π·x mod n;  output (c_0, r_0..r_(n-1), I)
 * </pre>
 *
 * The verifier recomputes the ring from c_0 and accepts iff it closes: c_n = c_0.
 */
public final class RingProofs {
  /** Largest ring accepted. */
  public static final int MAX_RING_SIZE = 64;

  static final int SCALAR_BYTES = 32;
  static final int DIGEST_BYTES = 32;

  private static final BigInteger N = Secp256k1.N;

  private RingProofs() {}

  /**
   * Proves that the holder of {@code credential} owns one of the ring members {@code ringIndices}
   * (strictly increasing indices into {@code set}, one of them the credential's own anchor), binding
   * the scope and the caller's 32-byte transcript digest.
   *
   * @throws CredentialException INVALID_ARGUMENT if the ring is malformed or does not contain the
   *     credential's anchor, or the digest is not 32 bytes; LIMIT_EXCEEDED above {@link
   *     #MAX_RING_SIZE}
   */
  public static RingProof prove(
      BuyerCredential credential,
      AnchorSet set,
      List<Integer> ringIndices,
      Scope scope,
      byte[] transcriptDigest,
      SecureRandom random)
      throws CredentialException {
    checkDigest(transcriptDigest);
    int n = checkRingSize(ringIndices.size(), "ring_indices");
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      Integer idx = ringIndices.get(i);
      if (idx == null) {
        throw new CredentialException(Reason.INVALID_ARGUMENT, "ring_indices." + i, "index is missing");
      }
      indices[i] = idx;
    }
    checkIndices(indices, set.size(), "ring_indices");
    int signer = -1;
    for (int i = 0; i < n; i++) {
      if (set.anchor(indices[i]).equals(credential.anchor())) {
        signer = i;
      }
    }
    if (signer < 0) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "ring_indices", "the ring does not contain the credential's anchor");
    }
    BigInteger x = credential.secretScalar();
    return sign(x, x, set, indices, signer, scope, transcriptDigest, random);
  }

  /**
   * The signing algorithm without the membership check. {@code keyImageSecret} is x for an honest
   * proof; tests pass other values to check that forgeries fail.
   */
  static RingProof sign(
      BigInteger x,
      BigInteger keyImageSecret,
      AnchorSet set,
      int[] indices,
      int signer,
      Scope scope,
      byte[] transcriptDigest,
      SecureRandom random) {
    int n = indices.length;
    List<ECPoint> ring = new ArrayList<>(n);
    for (int idx : indices) {
      ring.add(AnchorPointCache.pointFor(set.anchor(idx)));
    }
    byte[] scopeBytes = scope.encode();
    ECPoint hp = scopePoint(scopeBytes);
    ECPoint keyImage = hp.multiply(keyImageSecret).normalize();
    BlsagTranscript t =
        BlsagTranscript.create(set.epoch(), set.digest(), indices, ring, scopeBytes, hp, keyImage, transcriptDigest);

    while (true) {
      BigInteger[] c = new BigInteger[n];
      BigInteger[] r = new BigInteger[n];
      BigInteger alpha = randomScalar(random);
      ECPoint[] lr = normalized(Secp256k1.multiplyBase(alpha), hp.multiply(alpha));
      c[(signer + 1) % n] = t.challenge(lr[0], lr[1]);
      for (int step = 1; step < n; step++) {
        int i = (signer + step) % n;
        r[i] = randomScalar(random);
        lr = ringStep(r[i], c[i], ring.get(i), hp, keyImage);
        c[(i + 1) % n] = t.challenge(lr[0], lr[1]);
      }
      r[signer] = alpha.subtract(c[signer].multiply(x)).mod(N);
      // c_0 and every response travel as scalars in [1, n-1]; retry in the (2^-250) zero case.
      if (r[signer].signum() == 0 || c[0].signum() == 0) {
        continue;
      }
      ZkProof.Builder proof =
          ZkProof.newBuilder()
              .setScheme(ProofScheme.PROOF_SCHEME_BLSAG_SECP256K1_SHA256_V1)
              .setScope(scope.toProto())
              .setChallenge(ByteString.copyFrom(Secp256k1.to32Bytes(c[0])))
              .setKeyImage(ByteString.copyFrom(keyImage.getEncoded(true)));
      for (BigInteger ri : r) {
        proof.addResponses(ByteString.copyFrom(Secp256k1.to32Bytes(ri)));
      }
      BuyerCommitment.Builder commitment =
          BuyerCommitment.newBuilder()
              .setAnchorSetEpoch(set.epoch())
              .setAnchorSetDigest(ByteString.copyFrom(set.digest()));
      for (int idx : indices) {
        commitment.addMemberIndices(idx);
      }
      return new RingProof(commitment.build(), proof.build(), Nullifier.fromPoint(keyImage), scope);
    }
  }

  /**
   * Verifies a ring proof and returns its nullifier (not yet checked against a replay cache).
   *
   * <p>Checks, in order: the digest is 32 bytes; scheme; ring size 1..{@link #MAX_RING_SIZE} and one
   * response per member; scalar encodings (32 bytes, in [1, n-1]); the scope names {@code
   * expectedSellerId}, the current or previous epoch and a slot below {@code slotsPerEpoch}; the
   * commitment's (epoch, digest) is a trusted anchor set; member indices strictly increasing and in
   * range; the key image is a valid point; and finally the ring equation.
   *
   * @throws CredentialException with reason INVALID_ARGUMENT, LIMIT_EXCEEDED, SCOPE_INVALID,
   *     UNKNOWN_ANCHOR_SET or PROOF_INVALID
   */
  public static Nullifier verify(
      BuyerCommitment commitment,
      ZkProof proof,
      AnchorSetView trusted,
      String expectedSellerId,
      long currentEpoch,
      int slotsPerEpoch,
      byte[] transcriptDigest)
      throws CredentialException {
    if (commitment == null || proof == null) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, commitment == null ? "buyer_commitment" : "zk_proof", "is missing");
    }
    if (slotsPerEpoch < 1) {
      throw new IllegalArgumentException("slotsPerEpoch must be ≥ 1");
    }
    checkDigest(transcriptDigest);
    if (proof.getScheme() != ProofScheme.PROOF_SCHEME_BLSAG_SECP256K1_SHA256_V1) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "zk_proof.scheme", "unsupported proof scheme " + proof.getSchemeValue());
    }
    int n = checkRingSize(commitment.getMemberIndicesCount(), "buyer_commitment.member_indices");
    if (proof.getResponsesCount() != n) {
      throw new CredentialException(
          proof.getResponsesCount() > MAX_RING_SIZE ? Reason.LIMIT_EXCEEDED : Reason.INVALID_ARGUMENT,
          "zk_proof.responses",
          "expected " + n + " responses, got " + proof.getResponsesCount());
    }
    BigInteger c0 = decodeScalar(proof.getChallenge(), "zk_proof.challenge");
    BigInteger[] r = new BigInteger[n];
    for (int i = 0; i < n; i++) {
      r[i] = decodeScalar(proof.getResponses(i), "zk_proof.responses." + i);
    }
    if (commitment.getAnchorSetDigest().size() != DIGEST_BYTES) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "buyer_commitment.anchor_set_digest", "must be 32 bytes");
    }

    if (!proof.hasScope()) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "zk_proof.scope", "scope is missing");
    }
    Scope scope = checkScope(proof, expectedSellerId, currentEpoch, slotsPerEpoch);

    Optional<AnchorSet> found = trusted.byEpoch(commitment.getAnchorSetEpoch());
    if (found.isEmpty() || !found.get().digestEquals(commitment.getAnchorSetDigest().toByteArray())) {
      throw new CredentialException(
          Reason.UNKNOWN_ANCHOR_SET,
          "buyer_commitment.anchor_set_digest",
          "anchor set epoch " + Long.toUnsignedString(commitment.getAnchorSetEpoch()) + " with this digest is not trusted");
    }
    AnchorSet set = found.get();
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = commitment.getMemberIndices(i);
    }
    checkIndices(indices, set.size(), "buyer_commitment.member_indices");
    Nullifier nullifier = Nullifier.fromBytes(proof.getKeyImage().toByteArray());

    List<ECPoint> ring = new ArrayList<>(n);
    for (int idx : indices) {
      ring.add(AnchorPointCache.pointFor(set.anchor(idx)));
    }
    byte[] scopeBytes = scope.encode();
    ECPoint hp = scopePoint(scopeBytes);
    ECPoint keyImage = freshCopy(nullifier.point());
    BlsagTranscript t =
        BlsagTranscript.create(set.epoch(), set.digest(), indices, ring, scopeBytes, hp, keyImage, transcriptDigest);
    BigInteger c = c0;
    for (int i = 0; i < n; i++) {
      ECPoint[] lr = ringStep(r[i], c, ring.get(i), hp, keyImage);
      c = t.challenge(lr[0], lr[1]);
    }
    if (!c.equals(c0)) {
      throw new CredentialException(Reason.PROOF_INVALID, "zk_proof", "ring signature does not verify");
    }
    return nullifier;
  }

  private static Scope checkScope(ZkProof proof, String expectedSellerId, long currentEpoch, int slotsPerEpoch)
      throws CredentialException {
    Scope scope = Scope.fromProto(proof.getScope());
    if (!scope.sellerId().equals(expectedSellerId)) {
      throw new CredentialException(Reason.SCOPE_INVALID, "zk_proof.scope.seller_id", "scope names another seller");
    }
    if (scope.epoch() != currentEpoch && scope.epoch() != currentEpoch - 1) {
      throw new CredentialException(
          Reason.SCOPE_INVALID,
          "zk_proof.scope.epoch",
          "nullifier epoch " + scope.epoch() + " is not the current (" + currentEpoch + ") or previous epoch");
    }
    if (scope.slot() >= slotsPerEpoch) {
      throw new CredentialException(
          Reason.SCOPE_INVALID, "zk_proof.scope.slot", "slot " + scope.slot() + " is not below K = " + slotsPerEpoch);
    }
    return scope;
  }

  /** L = r·G + c·P and R = r·Hp + c·I, normalized together (one inversion). */
  private static ECPoint[] ringStep(BigInteger r, BigInteger c, ECPoint member, ECPoint hp, ECPoint keyImage) {
    return normalized(
        ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, r, member, c),
        ECAlgorithms.sumOfTwoMultiplies(hp, r, keyImage, c));
  }

  private static ECPoint[] normalized(ECPoint a, ECPoint b) {
    ECPoint[] pts = {a, b};
    Secp256k1.CURVE.normalizeAll(pts);
    return pts;
  }

  /** Hp = hash_to_curve(scope_encoding, protocol DST). */
  static ECPoint scopePoint(byte[] scopeEncoding) {
    ECPoint hp = HashToCurve.hashWithProtocolDst(scopeEncoding);
    if (hp.isInfinity()) {
      throw new IllegalStateException("hash_to_curve returned the point at infinity"); // probability ~2^-256
    }
    return hp;
  }

  /**
   * A new point object with the same coordinates. BouncyCastle caches multiplication tables on the
   * point object; a per-proof copy keeps them off long-lived objects.
   */
  private static ECPoint freshCopy(ECPoint p) {
    return Secp256k1.CURVE.createPoint(p.getAffineXCoord().toBigInteger(), p.getAffineYCoord().toBigInteger());
  }

  private static int checkRingSize(int n, String field) throws CredentialException {
    if (n < 1) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, field, "the ring is empty");
    }
    if (n > MAX_RING_SIZE) {
      throw new CredentialException(Reason.LIMIT_EXCEEDED, field, "ring of " + n + " exceeds the maximum of " + MAX_RING_SIZE);
    }
    return n;
  }

  /** Strictly increasing, within [0, setSize). Wire uint32 values ≥ 2^31 arrive negative and fail. */
  private static void checkIndices(int[] indices, int setSize, String field) throws CredentialException {
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0 || indices[i] >= setSize) {
        throw new CredentialException(
            Reason.INVALID_ARGUMENT, field + "." + i, "index is outside the anchor set of " + setSize);
      }
      if (i > 0 && indices[i] <= indices[i - 1]) {
        throw new CredentialException(Reason.INVALID_ARGUMENT, field + "." + i, "indices are not strictly increasing");
      }
    }
  }

  private static void checkDigest(byte[] transcriptDigest) throws CredentialException {
    if (transcriptDigest == null || transcriptDigest.length != DIGEST_BYTES) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "transcript_digest", "must be 32 bytes");
    }
  }

  private static BigInteger decodeScalar(ByteString b, String field) throws CredentialException {
    if (b.size() != SCALAR_BYTES) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, field, "scalar must be 32 bytes, was " + b.size());
    }
    BigInteger k = new BigInteger(1, b.toByteArray());
    if (k.signum() == 0 || k.compareTo(N) >= 0) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, field, "scalar is not in [1, n-1]");
    }
    return k;
  }

  /** Uniform in [1, n-1] by rejection sampling. */
  static BigInteger randomScalar(SecureRandom random) {
    byte[] b = new byte[SCALAR_BYTES];
    while (true) {
      random.nextBytes(b);
      BigInteger k = new BigInteger(1, b);
      if (k.signum() > 0 && k.compareTo(N) < 0) {
        return k;
      }
    }
  }
}
