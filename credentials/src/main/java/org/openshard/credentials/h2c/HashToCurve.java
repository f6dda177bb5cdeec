package org.openshard.credentials.h2c;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.openshard.crypto.Secp256k1;

/**
 * RFC 9380 hash-to-curve, suite {@code secp256k1_XMD:SHA-256_SSWU_RO_}: expand_message_xmd with
 * SHA-256, hash_to_field with m = 1, L = 48, count = 2, the simplified SWU map onto the 3-isogenous
 * curve E' (A' = 0x3f87…4533, B' = 1771, Z = -11), the 3-isogeny map E' → secp256k1 (RFC 9380,
 * appendix E.1) and clear_cofactor = identity (h = 1).
 *
 * <p>The inputs hashed by OpenShard (nullifier scopes) are public, so the map is written for
 * clarity, not constant time.
 */
public final class HashToCurve {
  /** The DST every OpenShard hash-to-curve call uses (docs/protocol.md, CRED-3). */
  public static final String PROTOCOL_DST_STRING = "OPENSHARD-V1-CS01-with-secp256k1_XMD:SHA-256_SSWU_RO_";

  /** ASCII bytes of {@link #PROTOCOL_DST_STRING}. */
  private static final byte[] PROTOCOL_DST = PROTOCOL_DST_STRING.getBytes(StandardCharsets.US_ASCII);

  /** L = ceil((ceil(log2(p)) + k) / 8) with k = 128. */
  public static final int L = 48;

  private static final ECCurve CURVE = Secp256k1.CURVE;
  private static final BigInteger P = Secp256k1.P;

  // Simplified SWU on E': y^2 = x^3 + A' x + B'.
  private static final ECFieldElement ISO_A =
      fe("3f8731abdd661adca08a5558f0f5d272e953d363cb6f0e5d405447c01a444533");
  private static final ECFieldElement ISO_B = CURVE.fromBigInteger(BigInteger.valueOf(1771));
  private static final ECFieldElement Z = CURVE.fromBigInteger(P.subtract(BigInteger.valueOf(11)));
  private static final ECFieldElement ONE = CURVE.fromBigInteger(BigInteger.ONE);
  private static final ECFieldElement MINUS_B_OVER_A = ISO_B.negate().divide(ISO_A);
  private static final ECFieldElement B_OVER_ZA = ISO_B.divide(Z.multiply(ISO_A));

  // 3-isogeny E' -> secp256k1, RFC 9380 appendix E.1. Coefficients in ascending degree.
  private static final ECFieldElement[] X_NUM = {
    fe("8e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38daaaaa8c7"),
    fe("07d3d4c80bc321d5b9f315cea7fd44c5d595d2fc0bf63b92dfff1044f17c6581"),
    fe("534c328d23f234e6e2a413deca25caece4506144037c40314ecbd0b53d9dd262"),
    fe("8e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38e38daaaaa88c"),
  };
  private static final ECFieldElement[] X_DEN = {
    fe("d35771193d94918a9ca34ccbb7b640dd86cd409542f8487d9fe6b745781eb49b"),
    fe("edadc6f64383dc1df7c4b2d51b54225406d36b641f5e41bbc52a56612a8c6d14"),
    ONE,
  };
  private static final ECFieldElement[] Y_NUM = {
    fe("4bda12f684bda12f684bda12f684bda12f684bda12f684bda12f684b8e38e23c"),
    fe("c75e0c32d5cb7c0fa9d0a54b12a0a6d5647ab046d686da6fdffc90fc201d71a3"),
    fe("29a6194691f91a73715209ef6512e576722830a201be2018a765e85a9ecee931"),
    fe("2f684bda12f684bda12f684bda12f684bda12f684bda12f684bda12f38e38d84"),
  };
  private static final ECFieldElement[] Y_DEN = {
    fe("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffff93b"),
    fe("7a06534bb8bdb49fd5e9e6632722c2989467c1bfc8e8d978dfb425d2685c2573"),
    fe("6484aa716545ca2cf3a70c3fa8fe337e0a3d21162f0d6299a7bf8192bfd2a76f"),
    ONE,
  };

  private HashToCurve() {}

  /** The protocol DST bytes (a fresh copy). */
  public static byte[] protocolDst() {
    return PROTOCOL_DST.clone();
  }

  /** hash_to_curve(msg) under the protocol DST. */
  public static ECPoint hashWithProtocolDst(byte[] msg) {
    return hash(msg, PROTOCOL_DST);
  }

  /**
   * hash_to_curve(msg, DST): a normalized point of secp256k1, indistinguishable from a random oracle
   * output. With overwhelming probability it is not the point at infinity; callers that must never
   * get it check {@link ECPoint#isInfinity()}.
   */
  public static ECPoint hash(byte[] msg, byte[] dst) {
    BigInteger[] u = hashToField(msg, dst, 2);
    ECPoint q0 = mapToCurve(u[0]);
    ECPoint q1 = mapToCurve(u[1]);
    return q0.add(q1).normalize(); // clear_cofactor is the identity: h = 1
  }

  /** hash_to_field(msg, count) for m = 1, L = 48: {@code count} elements of GF(p). */
  public static BigInteger[] hashToField(byte[] msg, byte[] dst, int count) {
    if (count <= 0 || count * L > ExpandMessageXmd.MAX_LENGTH) {
      throw new IllegalArgumentException("count out of range: " + count);
    }
    byte[] uniform = ExpandMessageXmd.expand(msg, dst, count * L);
    BigInteger[] out = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      byte[] tv = new byte[L];
      System.arraycopy(uniform, i * L, tv, 0, L);
      out[i] = new BigInteger(1, tv).mod(P);
    }
    return out;
  }

  /** map_to_curve(u): simplified SWU onto E', then the 3-isogeny onto secp256k1. Normalized. */
  public static ECPoint mapToCurve(BigInteger u) {
    ECFieldElement[] isoPoint = mapToIsogenousCurve(u);
    return isoMap(isoPoint[0], isoPoint[1]);
  }

  /**
   * map_to_curve_simple_swu(u) on E' (RFC 9380, section 6.6.2). Returns {x', y'}.
   *
   * @throws IllegalArgumentException if u is not in [0, p)
   */
  public static ECFieldElement[] mapToIsogenousCurve(BigInteger u) {
    if (u == null || u.signum() < 0 || u.compareTo(P) >= 0) {
      throw new IllegalArgumentException("u must be a field element in [0, p)");
    }
    ECFieldElement fu = CURVE.fromBigInteger(u);
    ECFieldElement zu2 = Z.multiply(fu.square());
    ECFieldElement den = zu2.square().add(zu2); // Z^2 u^4 + Z u^2
    ECFieldElement x1 = den.isZero() ? B_OVER_ZA : MINUS_B_OVER_A.multiply(ONE.add(den.invert()));
    ECFieldElement x = x1;
    ECFieldElement y = isoCurveRhs(x1).sqrt();
    if (y == null) {
      x = zu2.multiply(x1);
      y = isoCurveRhs(x).sqrt();
      if (y == null) {
        // Impossible for a valid Z: g(x1) non-square implies g(x2) = Z^3 u^6 g(x1) is square.
        throw new IllegalStateException("simplified SWU found neither g(x1) nor g(x2) square");
      }
    }
    if (fu.testBitZero() != y.testBitZero()) { // sgn0(u) != sgn0(y)
      y = y.negate();
    }
    return new ECFieldElement[] {x, y};
  }

  /**
   * iso_map(x', y'): the 3-isogeny from E' onto secp256k1. Returns the point at infinity in the
   * exceptional case where a denominator is zero (RFC 9380, section 6.6.3).
   */
  public static ECPoint isoMap(ECFieldElement xPrime, ECFieldElement yPrime) {
    ECFieldElement xDen = horner(X_DEN, xPrime);
    ECFieldElement yDen = horner(Y_DEN, xPrime);
    if (xDen.isZero() || yDen.isZero()) {
      return CURVE.getInfinity();
    }
    ECFieldElement x = horner(X_NUM, xPrime).divide(xDen);
    ECFieldElement y = yPrime.multiply(horner(Y_NUM, xPrime)).divide(yDen);
    return CURVE.createPoint(x.toBigInteger(), y.toBigInteger());
  }

  /** g(x) = x^3 + A' x + B' on E'. */
  private static ECFieldElement isoCurveRhs(ECFieldElement x) {
    return x.square().add(ISO_A).multiply(x).add(ISO_B);
  }

  private static ECFieldElement horner(ECFieldElement[] ascending, ECFieldElement x) {
    ECFieldElement acc = ascending[ascending.length - 1];
    for (int i = ascending.length - 2; i >= 0; i--) {
      acc = acc.multiply(x).add(ascending[i]);
    }
    return acc;
  }

  private static ECFieldElement fe(String hex) {
    return CURVE.fromBigInteger(new BigInteger(hex, 16));
  }
}
