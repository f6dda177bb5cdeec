package org.openshard.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Ethereum-style recoverable secp256k1 signatures over domain-separated messages, used for every
 * signed protocol object (registrations, key announcements, receipts).
 *
 * <p>Digest: {@code keccak256(utf8(context) || 0x00 || payload)}. Signature: 65 bytes {@code r (32)
 * || s (32) || v (1)} with {@code s ≤ n/2} and {@code v ∈ {27, 28}}. The signer is identified by
 * the Ethereum address of the recovered public key. See docs/protocol.md, "Signatures".
 */
public final class IdentitySignatures {
  public static final int SIGNATURE_BYTES = 65;
  private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

  private IdentitySignatures() {}

  /** The 32-byte digest that is signed. */
  public static byte[] digest(String context, byte[] payload) {
    return Hashes.keccak256(context.getBytes(StandardCharsets.UTF_8), new byte[] {0}, payload);
  }

  /** Signs with deterministic nonces (RFC 6979), low-s. */
  public static byte[] sign(Secp256k1PrivateKey key, String context, byte[] payload) {
    return signDigest(key, digest(context, payload));
  }

  /** Signs a precomputed 32-byte digest (e.g. an EIP-712 digest). */
  public static byte[] signDigest(Secp256k1PrivateKey key, byte[] digest32) {
    if (digest32 == null || digest32.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    // ECDSA with RFC 6979 nonces (HMAC-SHA256), as BouncyCastle's ECDSASigner computes it, but
    // keeping R so the recovery id comes from R.y directly: one fixed-base multiplication per
    // signature instead of deriving the public key and trial recoveries to find v.
    BigInteger n = Secp256k1.N;
    BigInteger d = key.scalar();
    BigInteger e = new BigInteger(1, digest32);
    HMacDSAKCalculator kc = new HMacDSAKCalculator(new SHA256Digest());
    kc.init(n, d, digest32);
    while (true) {
      BigInteger k = kc.nextK();
      ECPoint p = Secp256k1.multiplyBase(k).normalize();
      BigInteger x = p.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(n);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = k.modInverse(n).multiply(e.add(d.multiply(r))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      int recId = p.getAffineYCoord().testBitZero() ? 1 : 0;
      if (x.compareTo(n) >= 0) {
        continue; // r lost information (probability ~2^-128); v could not be 27/28: next k
      }
      if (s.compareTo(HALF_N) > 0) {
        s = n.subtract(s);
        recId ^= 1;
      }
      return Bytes.concat(Secp256k1.to32Bytes(r), Secp256k1.to32Bytes(s), new byte[] {(byte) (27 + recId)});
    }
  }

  /**
   * Recovers the signer's address ("0x" + 40 lowercase hex) of a signature over (context,
   * payload).
   *
   * @throws CryptoException INVALID_SIGNATURE if the signature is malformed, high-s, or recovers no
   *     key
   */
  public static String recoverAddress(String context, byte[] payload, byte[] signature) throws CryptoException {
    return recoverAddressFromDigest(digest(context, payload), signature);
  }

  /** Like {@link #recoverAddress} for a precomputed 32-byte digest. */
  public static String recoverAddressFromDigest(byte[] digest32, byte[] signature) throws CryptoException {
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_SIGNATURE,
          "signature must be 65 bytes (r || s || v), was " + (signature == null ? "missing" : signature.length));
    }
    byte[] r = Arrays.copyOfRange(signature, 0, 32);
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    byte v = signature[64];
    BigInteger ri = new BigInteger(1, r);
    BigInteger si = new BigInteger(1, s);
    if (ri.signum() == 0 || ri.compareTo(Secp256k1.N) >= 0 || si.signum() == 0 || si.compareTo(Secp256k1.N) >= 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature r or s is out of range");
    }
    if (si.compareTo(HALF_N) > 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature s is not low-s (malleable form)");
    }
    if (v != 27 && v != 28) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature v must be 27 or 28");
    }
    try {
      BigInteger pub = Sign.signedMessageHashToKey(digest32, new Sign.SignatureData(v, r, s));
      return "0x" + Keys.getAddress(pub).toLowerCase(java.util.Locale.ROOT);
    } catch (SignatureException | RuntimeException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature recovers no public key");
    }
  }

  /**
   * Verifies that the signature over (context, payload) was made by {@code expectedAddress}
   * (compared case-insensitively).
   */
  public static void verify(String expectedAddress, String context, byte[] payload, byte[] signature)
      throws CryptoException {
    String recovered = recoverAddress(context, payload, signature);
    if (expectedAddress == null || !recovered.equalsIgnoreCase(expectedAddress)) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature is not by " + expectedAddress);
    }
  }
}
