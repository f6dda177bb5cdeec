package org.openshard.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Plain ECDSA over secp256k1 with SHA-256 and DER signatures (SEC1 / X9.62), for interoperating
 * with non-Ethereum signers. Protocol identity signatures use {@link IdentitySignatures} instead.
 *
 * <p>Signatures must be strict DER: {@code SEQUENCE { INTEGER r, INTEGER s }} with definite
 * short-form lengths, minimal non-negative integers and no trailing bytes; BER variants are
 * rejected. r and s must be in [1, n-1]. High s is accepted (plain ECDSA does not require low s;
 * {@link IdentitySignatures} does).
 */
public final class Secp256k1Ecdsa {
  /** Longest DER signature for a 256-bit order: 2 + 2 * (2 + 33). */
  static final int MAX_DER_BYTES = 72;

  private Secp256k1Ecdsa() {}

  /**
   * True iff {@code derSignature} is a strict-DER ECDSA signature of SHA-256({@code message}) by
   * {@code publicKey}. Any malformed input gives false.
   */
  public static boolean verify(Secp256k1PublicKey publicKey, byte[] message, byte[] derSignature) {
    if (publicKey == null || message == null) {
      return false;
    }
    Signature sig;
    try {
      sig = parseDer(derSignature);
    } catch (CryptoException e) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(publicKey.point(), Secp256k1.DOMAIN));
    return verifier.verifySignature(Hashes.sha256(message), sig.r, sig.s);
  }

  /** The (r, s) pair of a signature, both in [1, n-1]. */
  static final class Signature {
    final BigInteger r;
    final BigInteger s;

    private Signature(BigInteger r, BigInteger s) {
      this.r = r;
      this.s = s;
    }
  }

  /**
   * Parses a strict-DER ECDSA signature.
   *
   * @throws CryptoException INVALID_SIGNATURE naming the rule the encoding breaks
   */
  static Signature parseDer(byte[] der) throws CryptoException {
    if (der == null || der.length < 8 || der.length > MAX_DER_BYTES) {
      throw invalid("DER signature must be 8.." + MAX_DER_BYTES + " bytes, was " + (der == null ? "missing" : der.length));
    }
    if (der[0] != 0x30) {
      throw invalid("DER signature must start with a SEQUENCE tag");
    }
    // Every length here is below 128, so DER requires the one-byte short form.
    if ((der[1] & 0xff) != der.length - 2) {
      throw invalid("SEQUENCE length does not match the signature length (or is not short form)");
    }
    int[] pos = {2};
    BigInteger r = readInteger(der, pos, "r");
    BigInteger s = readInteger(der, pos, "s");
    if (pos[0] != der.length) {
      throw invalid("DER signature has trailing bytes inside the SEQUENCE");
    }
    return new Signature(r, s);
  }

  private static BigInteger readInteger(byte[] der, int[] pos, String name) throws CryptoException {
    int p = pos[0];
    if (p + 2 > der.length) {
      throw invalid(name + " is missing");
    }
    if (der[p] != 0x02) {
      throw invalid(name + " is not an INTEGER");
    }
    int len = der[p + 1] & 0xff;
    if (len == 0 || len > 33) {
      throw invalid(name + " must be 1..33 bytes (short-form length), was " + len);
    }
    int start = p + 2;
    if (start + len > der.length) {
      throw invalid(name + " runs past the end of the signature");
    }
    if ((der[start] & 0x80) != 0) {
      throw invalid(name + " is negative");
    }
    if (len > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0) {
      throw invalid(name + " has a non-minimal leading zero");
    }
    BigInteger v = new BigInteger(1, Arrays.copyOfRange(der, start, start + len));
    if (v.signum() == 0 || v.compareTo(Secp256k1.N) >= 0) {
      throw invalid(name + " is not in [1, n-1]");
    }
    pos[0] = start + len;
    return v;
  }

  private static CryptoException invalid(String what) {
    return new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, what);
  }
}
