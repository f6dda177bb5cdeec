package org.openshard.crypto;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECPoint;

/** A secp256k1 private scalar in [1, n-1]. {@link #toString()} never prints it. */
public final class Secp256k1PrivateKey {
  private final BigInteger d;
  private final Secp256k1PublicKey publicKey;

  private Secp256k1PrivateKey(BigInteger d) {
    this.d = d;
    this.publicKey = Secp256k1PublicKey.fromPoint(Secp256k1.multiplyBase(d));
  }

  /** A fresh key from {@link SecureRandoms}. */
  public static Secp256k1PrivateKey generate() {
    while (true) {
      BigInteger d = new BigInteger(256, SecureRandoms.get());
      if (d.signum() > 0 && d.compareTo(Secp256k1.N) < 0) {
        return new Secp256k1PrivateKey(d);
      }
    }
  }

  /** From 32 big-endian bytes; rejects 0 and values ≥ n. */
  public static Secp256k1PrivateKey fromBytes(byte[] scalar) throws CryptoException {
    if (scalar == null || scalar.length != 32) {
      throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_KEY, "secp256k1 private key must be 32 bytes");
    }
    BigInteger d = new BigInteger(1, scalar);
    if (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0) {
      throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_KEY, "secp256k1 private key is not in [1, n-1]");
    }
    return new Secp256k1PrivateKey(d);
  }

  public Secp256k1PublicKey publicKey() {
    return publicKey;
  }

  /** 32 big-endian bytes. Handle with care: this is the secret. */
  public byte[] toBytes() {
    return Secp256k1.to32Bytes(d);
  }

  /** The scalar, for protocol code (credentials, signatures). */
  public BigInteger scalar() {
    return d;
  }

  /**
   * ECDH: the 32-byte x-coordinate of d * peer. The peer key was validated when it was decoded; the
   * result is checked again so a bug can never yield the point at infinity.
   */
  public byte[] agree(Secp256k1PublicKey peer) throws CryptoException {
    ECPoint s = peer.point().multiply(d).normalize();
    if (s.isInfinity()) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "ECDH result is the point at infinity");
    }
    return Secp256k1.to32Bytes(s.getAffineXCoord().toBigInteger());
  }

  @Override
  public String toString() {
    return "Secp256k1PrivateKey(public=" + Bytes.hex(publicKey.compressed()) + ")";
  }
}
