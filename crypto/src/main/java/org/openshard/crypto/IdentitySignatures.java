package org.openshard.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.ECKeyPair;
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

  /**
   * Signs a precomputed 32-byte digest (e.g. an EIP-712 digest): RFC 6979 nonce (HMAC-SHA256),
   * low-s, and v from the parity of the nonce point's y — the same bytes as web3j's {@code
   * Sign.signMessage}, without deriving the public key and recovering it up to four times to find v.
   */
  public static byte[] signDigest(Secp256k1PrivateKey key, byte[] digest32) {
    if (digest32 == null || digest32.length != 32) {
      return legacySignDigest(key, digest32);
    }
    BigInteger n = Secp256k1.N;
    BigInteger d = key.scalar();
    BigInteger e = new BigInteger(1, digest32);
    HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
    nonces.init(n, d, digest32);
    while (true) {
      BigInteger k = nonces.nextK();
      ECPoint big = Secp256k1.multiplyBase(k);
      BigInteger x = big.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(n);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = BigIntegers.modOddInverse(n, k).multiply(e.add(d.multiply(r))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      if (x.compareTo(n) >= 0) {
        // Recovery id 2 or 3 (probability ~2^-128): keep web3j's exact behaviour.
        return legacySignDigest(key, digest32);
      }
      int recId = big.getAffineYCoord().testBitZero() ? 1 : 0;
      if (s.compareTo(HALF_N) > 0) {
        s = n.subtract(s); // -R: the y parity flips
        recId ^= 1;
      }
      return Bytes.concat(Secp256k1.to32Bytes(r), Secp256k1.to32Bytes(s), new byte[] {(byte) (27 + recId)});
    }
  }

  /** web3j's signer (derives the public key, signs, then recovers to find v). */
  static byte[] legacySignDigest(Secp256k1PrivateKey key, byte[] digest) {
    ECKeyPair pair = ECKeyPair.create(key.scalar());
    Sign.SignatureData sd = Sign.signMessage(digest, pair, false);
    return Bytes.concat(sd.getR(), sd.getS(), sd.getV());
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
    return "0x" + Keys.getAddress(recover(digest32, signature)).toLowerCase(java.util.Locale.ROOT);
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

  /**
   * Recovers the signer's public key of a signature over (context, payload); its {@link
   * Secp256k1PublicKey#ethereumAddress()} is what {@link #recoverAddress} returns.
   *
   * @throws CryptoException INVALID_SIGNATURE as {@link #recoverAddress}
   */
  public static Secp256k1PublicKey recoverPublicKey(String context, byte[] payload, byte[] signature) throws CryptoException {
    BigInteger pub = recover(digest(context, payload), signature);
    byte[] raw = new byte[65];
    raw[0] = 0x04;
    System.arraycopy(BigIntegers.asUnsignedByteArray(64, pub), 0, raw, 1, 64);
    return Secp256k1PublicKey.fromBytes(raw);
  }

  /** The public key (x || y as an integer) a well-formed signature over {@code digest32} recovers. */
  private static BigInteger recover(byte[] digest32, byte[] signature) throws CryptoException {
    checkShape(signature);
    byte[] r = Arrays.copyOfRange(signature, 0, 32);
    byte[] s = Arrays.copyOfRange(signature, 32, 64);
    try {
      return Sign.signedMessageHashToKey(digest32, new Sign.SignatureData(signature[64], r, s));
    } catch (SignatureException | RuntimeException e) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature recovers no public key");
    }
  }

  /**
   * Verifies that the signature over (context, payload) was made by {@code expected}: exactly when
   * {@link #recoverPublicKey} would return {@code expected} (same shape checks, low-s, v ∈ {27,
   * 28}), but computed as {@code u1·G + u2·Q} and comparing x and the y parity with (r, v). Cheaper
   * than recovery (no square root, no hashing) and faster still when the same {@code expected}
   * object is reused, since its multiplication table is cached on its point.
   *
   * @throws CryptoException INVALID_SIGNATURE if the signature is malformed or not by {@code expected}
   */
  public static void verify(Secp256k1PublicKey expected, String context, byte[] payload, byte[] signature) throws CryptoException {
    if (expected == null) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "no expected signer");
    }
    byte[] digest = digest(context, payload);
    BigInteger[] rs = checkShape(signature);
    BigInteger n = Secp256k1.N;
    BigInteger r = rs[0];
    BigInteger w = BigIntegers.modOddInverse(n, rs[1]);
    BigInteger u1 = new BigInteger(1, digest).multiply(w).mod(n);
    BigInteger u2 = r.multiply(w).mod(n);
    ECPoint big = ECAlgorithms.sumOfTwoMultiplies(Secp256k1.G, u1, expected.point(), u2).normalize();
    if (big.isInfinity()
        || !big.getAffineXCoord().toBigInteger().equals(r)
        || big.getAffineYCoord().testBitZero() != (signature[64] == 28)) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature is not by " + expected.ethereumAddress());
    }
  }

  /** Checks a signature's size, ranges, low-s and v; returns {r, s}. */
  private static BigInteger[] checkShape(byte[] signature) throws CryptoException {
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      throw new CryptoException(
          CryptoException.Reason.INVALID_SIGNATURE,
          "signature must be 65 bytes (r || s || v), was " + (signature == null ? "missing" : signature.length));
    }
    BigInteger ri = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger si = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    byte v = signature[64];
    if (ri.signum() == 0 || ri.compareTo(Secp256k1.N) >= 0 || si.signum() == 0 || si.compareTo(Secp256k1.N) >= 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature r or s is out of range");
    }
    if (si.compareTo(HALF_N) > 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature s is not low-s (malleable form)");
    }
    if (v != 27 && v != 28) {
      throw new CryptoException(CryptoException.Reason.INVALID_SIGNATURE, "signature v must be 27 or 28");
    }
    return new BigInteger[] {ri, si};
  }
}
