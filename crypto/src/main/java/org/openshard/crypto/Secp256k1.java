package org.openshard.crypto;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** The secp256k1 curve (SEC 2) and the few group operations the protocol needs. */
public final class Secp256k1 {
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");

  /** Domain parameters (curve, G, n, h = 1). */
  public static final ECDomainParameters DOMAIN =
      new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());

  /** The group order n. */
  public static final BigInteger N = PARAMS.getN();

  /** The field prime p. */
  public static final BigInteger P = PARAMS.getCurve().getField().getCharacteristic();

  public static final ECCurve CURVE = PARAMS.getCurve();
  public static final ECPoint G = PARAMS.getG();

  private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  private Secp256k1() {}

  /** k * G, using a fixed-base comb. */
  public static ECPoint multiplyBase(BigInteger k) {
    return BASE_MULTIPLIER.multiply(G, k.mod(N)).normalize();
  }

  /**
   * Decodes a SEC1 point (33-byte compressed or 65-byte uncompressed) and checks it is on the curve
   * and not the point at infinity. secp256k1 has cofactor 1, so every such point is in the
   * prime-order group.
   */
  public static ECPoint decodePoint(byte[] encoded) throws CryptoException {
    if (encoded == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "secp256k1 point is missing");
    }
    boolean compressed = encoded.length == 33 && (encoded[0] == 0x02 || encoded[0] == 0x03);
    boolean uncompressed = encoded.length == 65 && encoded[0] == 0x04;
    if (!compressed && !uncompressed) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_PUBLIC_KEY,
          "secp256k1 point must be 33 bytes (02/03 prefix) or 65 bytes (04 prefix), was "
              + encoded.length
              + " bytes");
    }
    ECPoint p;
    try {
      p = CURVE.decodePoint(encoded); // validates the point lies on the curve
    } catch (IllegalArgumentException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "secp256k1 point is not on the curve");
    }
    if (p.isInfinity() || !p.isValid()) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "secp256k1 point is invalid");
    }
    return p.normalize();
  }

  /** A scalar in [1, n-1] from 32 big-endian bytes. */
  public static BigInteger decodeScalar(byte[] b) throws CryptoException {
    if (b == null || b.length != 32) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "scalar must be 32 bytes");
    }
    BigInteger k = new BigInteger(1, b);
    if (k.signum() == 0 || k.compareTo(N) >= 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "scalar is not in [1, n-1]");
    }
    return k;
  }

  /** 32 big-endian bytes of a value in [0, 2^256). */
  public static byte[] to32Bytes(BigInteger v) {
    byte[] raw = v.toByteArray();
    if (raw.length == 32) {
      return raw;
    }
    byte[] out = new byte[32];
    if (raw.length > 32) {
      if (raw.length != 33 || raw[0] != 0) {
        throw new IllegalArgumentException("value does not fit in 32 bytes");
      }
      System.arraycopy(raw, 1, out, 0, 32);
    } else {
      System.arraycopy(raw, 0, out, 32 - raw.length, raw.length);
    }
    return out;
  }
}
