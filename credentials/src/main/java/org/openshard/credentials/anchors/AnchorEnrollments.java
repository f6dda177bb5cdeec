package org.openshard.credentials.anchors;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.BuyerCredential;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.CredentialException.Reason;
import org.openshard.credentials.Encoding;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Secp256k1;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.AnchorEnrollment;
import org.openshard.proto.v1.EnrollAnchorRequest;

/**
 * Anchor enrolment: the buyer proves knowledge of x for its anchor P = x·G with a Schnorr proof that
 * binds the exact serialized {@link AnchorEnrollment} bytes (docs/protocol.md, CRED-8).
 *
 * <pre>
 * k random in [1, n-1];  R = k·G
 * e = OS2IP(SHA-256(lp("OpenShard/v1/anchor-enrollment") || P (33) || R (33) || lp(enrollment))) mod n
 * s = k + e·x mod n;      proof = R (33) || s (32)
 * verify: s in [1, n-1], R a valid compressed point, and s·G − e·P = R
 * </pre>
 */
public final class AnchorEnrollments {
  public static final int PROOF_BYTES = 65;
  /** Upper bound on the serialized enrolment (anchor + timestamp + tags is ~46 bytes). */
  static final int MAX_ENROLLMENT_BYTES = 256;
  static final String LABEL = "OpenShard/v1/anchor-enrollment";

  private AnchorEnrollments() {}

  /** Builds a signed enrolment request for {@code credential} at {@code timestampMs}. */
  public static EnrollAnchorRequest create(BuyerCredential credential, long timestampMs) {
    return create(credential, timestampMs, SecureRandoms.get());
  }

  public static EnrollAnchorRequest create(BuyerCredential credential, long timestampMs, SecureRandom random) {
    byte[] anchor = credential.anchor().toBytes();
    byte[] enrollment =
        AnchorEnrollment.newBuilder()
            .setAnchor(ByteString.copyFrom(anchor))
            .setTimestampMs(timestampMs)
            .build()
            .toByteArray();
    BigInteger n = Secp256k1.N;
    while (true) {
      BigInteger k = randomScalar(random);
      byte[] r = Secp256k1.multiplyBase(k).getEncoded(true);
      BigInteger e = challenge(anchor, r, enrollment);
      BigInteger s = k.add(e.multiply(credential.secretScalar())).mod(n);
      if (s.signum() == 0) {
        continue; // probability 2^-256
      }
      byte[] proof = new byte[PROOF_BYTES];
      System.arraycopy(r, 0, proof, 0, 33);
      System.arraycopy(Secp256k1.to32Bytes(s), 0, proof, 33, 32);
      return EnrollAnchorRequest.newBuilder()
          .setEnrollment(ByteString.copyFrom(enrollment))
          .setProof(ByteString.copyFrom(proof))
          .build();
    }
  }

  /**
   * Verifies an enrolment request and returns the proven anchor.
   *
   * @throws CredentialException INVALID_ARGUMENT if malformed, CLOCK_SKEW if the timestamp is more
   *     than {@code maxSkewMs} from {@code nowMs}, PROOF_INVALID if the Schnorr proof fails
   */
  public static Anchor verify(EnrollAnchorRequest request, long nowMs, long maxSkewMs) throws CredentialException {
    if (request == null) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "request", "is missing");
    }
    byte[] enrollmentBytes = request.getEnrollment().toByteArray();
    if (enrollmentBytes.length == 0 || enrollmentBytes.length > MAX_ENROLLMENT_BYTES) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "enrollment", "must be 1.." + MAX_ENROLLMENT_BYTES + " bytes");
    }
    AnchorEnrollment enrollment;
    try {
      enrollment = AnchorEnrollment.parseFrom(enrollmentBytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "enrollment", "is not a serialized AnchorEnrollment");
    }
    Anchor anchor;
    try {
      anchor = Anchor.fromBytes(enrollment.getAnchor().toByteArray());
    } catch (CredentialException e) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "enrollment.anchor", "is not a 33-byte compressed point");
    }
    long ts = enrollment.getTimestampMs();
    // Overflow-safe |ts - now| > skew.
    if (ts < nowMs - maxSkewMs || ts > nowMs + maxSkewMs || ts <= 0) {
      throw new CredentialException(Reason.CLOCK_SKEW, "enrollment.timestamp_ms", "enrolment timestamp is outside the skew window");
    }
    byte[] proof = request.getProof().toByteArray();
    if (proof.length != PROOF_BYTES) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "proof", "Schnorr proof must be 65 bytes (R || s)");
    }
    byte[] rBytes = Arrays.copyOfRange(proof, 0, 33);
    ECPoint r;
    BigInteger s;
    try {
      r = Secp256k1.decodePoint(rBytes);
      s = Secp256k1.decodeScalar(Arrays.copyOfRange(proof, 33, 65));
    } catch (CryptoException e) {
      throw new CredentialException(Reason.INVALID_ARGUMENT, "proof", "Schnorr proof has an invalid point or scalar");
    }
    BigInteger e = challenge(anchor.toBytes(), rBytes, enrollmentBytes);
    ECPoint check =
        ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, s, anchor.point(), e.negate().mod(Secp256k1.N)).normalize();
    if (check.isInfinity() || !check.equals(r)) {
      throw new CredentialException(Reason.PROOF_INVALID, "proof", "Schnorr proof of knowledge does not verify");
    }
    return anchor;
  }

  static BigInteger challenge(byte[] anchor, byte[] r, byte[] enrollment) {
    byte[] input = Encoding.labelled(LABEL, 128 + enrollment.length).raw(anchor).raw(r).lp(enrollment).toByteArray();
    return new BigInteger(1, Hashes.sha256(input)).mod(Secp256k1.N);
  }

  private static BigInteger randomScalar(SecureRandom random) {
    byte[] b = new byte[32];
    while (true) {
      random.nextBytes(b);
      BigInteger k = new BigInteger(1, b);
      if (k.signum() > 0 && k.compareTo(Secp256k1.N) < 0) {
        return k;
      }
    }
  }
}
