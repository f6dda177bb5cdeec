package org.openshard.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
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

  /** Signs a precomputed 32-byte digest (e.g. an EIP-712 digest). */
  public static byte[] signDigest(Secp256k1PrivateKey key, byte[] digest32) {
    ECKeyPair pair = ECKeyPair.create(key.scalar());
    Sign.SignatureData sd = Sign.signMessage(digest32, pair, false);
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
