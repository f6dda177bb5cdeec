package org.openshard.credentials;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.Hkdf;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.SecureRandoms;

/**
 * A buyer credential: a secret scalar x in [1, n-1] and its anchor P = x·G. The anchor is what a
 * registry enrols and publishes in anchor sets; x never leaves the buyer.
 *
 * <p>The wallet key is never the credential. {@link #fromWalletSignature} derives x from a wallet
 * signature over {@link #WALLET_MESSAGE}, so the same wallet always recovers the same credential on
 * any device, while the anchor reveals nothing about the wallet address (docs/protocol.md, CRED-2).
 */
public final class BuyerCredential {
  /**
   * The fixed text the wallet signs with EIP-191 {@code personal_sign}. Changing a single byte
   * changes every derived credential.
   */
  public static final String WALLET_MESSAGE =
      "OpenShard credential v1\n\n"
          + "Sign to derive your private OpenShard buyer credential.\n"
          + "Keep this signature secret: it is your credential.\n"
          + "It authorizes no payment and no transaction.";

  static final byte[] HKDF_SALT = "OpenShard/v1/credential/salt".getBytes(StandardCharsets.UTF_8);
  static final byte[] HKDF_INFO = "OpenShard/v1/credential/secret".getBytes(StandardCharsets.UTF_8);
  /** Wide reduction: 48 bytes reduced mod n (bias below 2^-128). */
  static final int WIDE_BYTES = 48;

  private static final BigInteger HALF_N = Secp256k1.N.shiftRight(1);

  private final Secp256k1PrivateKey key;
  private final Anchor anchor;

  private BuyerCredential(Secp256k1PrivateKey key) {
    this.key = key;
    this.anchor = Anchor.fromPoint(key.publicKey().point());
  }

  /** A fresh random credential (for tests and wallet-less buyers). */
  public static BuyerCredential generate() {
    return generate(SecureRandoms.get());
  }

  public static BuyerCredential generate(SecureRandom random) {
    byte[] b = new byte[32];
    while (true) {
      random.nextBytes(b);
      BigInteger x = new BigInteger(1, b);
      if (x.signum() > 0 && x.compareTo(Secp256k1.N) < 0) {
        try {
          return new BuyerCredential(Secp256k1PrivateKey.fromBytes(b));
        } catch (CryptoException e) {
          throw new IllegalStateException(e);
        } finally {
          Bytes.wipe(b);
        }
      }
    }
  }

  /**
   * From a stored 32-byte big-endian secret.
   *
   * @throws CredentialException INVALID_ARGUMENT if it is not 32 bytes in [1, n-1]
   */
  public static BuyerCredential fromSecret(byte[] secret32) throws CredentialException {
    try {
      return new BuyerCredential(Secp256k1PrivateKey.fromBytes(secret32));
    } catch (CryptoException e) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "credential secret must be 32 bytes in [1, n-1]");
    }
  }

  /** The 32-byte digest the wallet signs: keccak256("\x19Ethereum Signed Message:\n" || len || message). */
  public static byte[] walletMessageDigest() {
    byte[] m = WALLET_MESSAGE.getBytes(StandardCharsets.UTF_8);
    byte[] prefix = ("\u0019Ethereum Signed Message:\n" + m.length).getBytes(StandardCharsets.UTF_8);
    return Hashes.keccak256(prefix, m);
  }

  /**
   * Derives the credential from a 65-byte wallet signature {@code r || s || v} over {@link
   * #WALLET_MESSAGE} (EIP-191). {@code v} may be 27/28 or 0/1; a high-s signature is first
   * normalized to low-s, so both forms of the same signature give the same credential. The
   * signature must recover some public key for the message digest.
   *
   * <p>x = first non-zero OS2IP(HKDF-SHA256(ikm = r || s, salt, info || u8(i), 48)) mod n, i = 0, 1, …
   *
   * @throws CredentialException INVALID_ARGUMENT if the signature is malformed or recovers no key
   */
  public static BuyerCredential fromWalletSignature(byte[] sig65) throws CredentialException {
    byte[] normalized = normalizeSignature(sig65);
    try {
      IdentitySignatures.recoverAddressFromDigest(walletMessageDigest(), normalized);
    } catch (CryptoException e) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT, "wallet signature does not verify over the credential message");
    }
    return deriveFromNormalized(normalized);
  }

  /**
   * Like {@link #fromWalletSignature(byte[])}, and also checks that the signature was made by {@code
   * expectedWalletAddress} (compared case-insensitively), catching a signature over another message.
   */
  public static BuyerCredential fromWalletSignature(byte[] sig65, String expectedWalletAddress)
      throws CredentialException {
    byte[] normalized = normalizeSignature(sig65);
    String recovered;
    try {
      recovered = IdentitySignatures.recoverAddressFromDigest(walletMessageDigest(), normalized);
    } catch (CryptoException e) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT, "wallet signature does not verify over the credential message");
    }
    if (expectedWalletAddress == null || !recovered.equalsIgnoreCase(expectedWalletAddress)) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT, "wallet signature is not by the expected wallet address");
    }
    return deriveFromNormalized(normalized);
  }

  private static BuyerCredential deriveFromNormalized(byte[] normalized) throws CredentialException {
    byte[] ikm = java.util.Arrays.copyOf(normalized, 64); // r || s, v is implied by them
    try {
      for (int counter = 0; counter < 256; counter++) {
        byte[] info = Bytes.concat(HKDF_INFO, new byte[] {(byte) counter});
        byte[] okm = Hkdf.sha256(ikm, HKDF_SALT, info, WIDE_BYTES);
        BigInteger x = new BigInteger(1, okm).mod(Secp256k1.N);
        Bytes.wipe(okm);
        if (x.signum() != 0) {
          byte[] xb = Secp256k1.to32Bytes(x);
          try {
            return new BuyerCredential(Secp256k1PrivateKey.fromBytes(xb));
          } finally {
            Bytes.wipe(xb);
          }
        }
      }
    } catch (CryptoException e) {
      throw new IllegalStateException("credential derivation failed", e);
    } finally {
      Bytes.wipe(ikm);
      Bytes.wipe(normalized);
    }
    throw new IllegalStateException("credential derivation found no non-zero scalar"); // probability ~2^-65000
  }

  /** Checks shape and ranges, maps v 0/1 to 27/28 and a high s to n - s (flipping v). */
  static byte[] normalizeSignature(byte[] sig65) throws CredentialException {
    if (sig65 == null || sig65.length != 65) {
      throw new CredentialException(
          CredentialException.Reason.INVALID_ARGUMENT,
          "wallet signature must be 65 bytes (r || s || v), was " + (sig65 == null ? "missing" : sig65.length));
    }
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig65, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig65, 32, 64));
    int v = sig65[64] & 0xff;
    if (v == 0 || v == 1) {
      v += 27;
    }
    if (v != 27 && v != 28) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "wallet signature v must be 27, 28, 0 or 1");
    }
    if (r.signum() == 0 || r.compareTo(Secp256k1.N) >= 0 || s.signum() == 0 || s.compareTo(Secp256k1.N) >= 0) {
      throw new CredentialException(CredentialException.Reason.INVALID_ARGUMENT, "wallet signature r or s is out of range");
    }
    if (s.compareTo(HALF_N) > 0) {
      s = Secp256k1.N.subtract(s);
      v = v == 27 ? 28 : 27;
    }
    return Bytes.concat(Secp256k1.to32Bytes(r), Secp256k1.to32Bytes(s), new byte[] {(byte) v});
  }

  public Anchor anchor() {
    return anchor;
  }

  /** The secret scalar x, for the proof code. Never log or persist it unencrypted. */
  public BigInteger secretScalar() {
    return key.scalar();
  }

  /** The 32-byte big-endian secret, for encrypted storage. */
  public byte[] secretBytes() {
    return key.toBytes();
  }

  @Override
  public String toString() {
    return "BuyerCredential(anchor=" + Bytes.hex(anchor.toBytes()) + ")";
  }
}
