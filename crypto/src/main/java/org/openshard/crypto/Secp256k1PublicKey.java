package org.openshard.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/** A validated secp256k1 public key: on the curve and not the point at infinity. Immutable. */
public final class Secp256k1PublicKey {
  private final ECPoint point;
  private final byte[] compressed;

  private Secp256k1PublicKey(ECPoint point) {
    this.point = point.normalize();
    this.compressed = this.point.getEncoded(true);
  }

  /** From a 33-byte compressed or 65-byte uncompressed SEC1 encoding. */
  public static Secp256k1PublicKey fromBytes(byte[] encoded) throws CryptoException {
    return new Secp256k1PublicKey(Secp256k1.decodePoint(encoded));
  }

  /**
   * Also accepts the 64-byte raw {@code x || y} form some clients send (it is the 65-byte form
   * without the 04 prefix).
   */
  public static Secp256k1PublicKey fromBytesLenient(byte[] encoded) throws CryptoException {
    if (encoded != null && encoded.length == 64) {
      return fromBytes(Bytes.concat(new byte[] {0x04}, encoded));
    }
    return fromBytes(encoded);
  }

  /**
   * From an X.509 SubjectPublicKeyInfo (DER) naming the secp256k1 curve by OID. Rejects BER
   * variants, explicit curve parameters, other curves and algorithms, and invalid points.
   */
  public static Secp256k1PublicKey fromX509(byte[] der) throws CryptoException {
    return fromBytes(X509EcPublicKeys.secp256k1PointFromSpki(der));
  }

  static Secp256k1PublicKey fromPoint(ECPoint p) {
    return new Secp256k1PublicKey(p);
  }

  /** 33-byte compressed SEC1. */
  public byte[] compressed() {
    return compressed.clone();
  }

  /** 65-byte uncompressed SEC1 (04 || x || y). */
  public byte[] uncompressed() {
    return point.getEncoded(false);
  }

  /** The curve point, for protocol code (credentials) that does group arithmetic. */
  public ECPoint point() {
    return point;
  }

  /** The Ethereum address of this key: last 20 bytes of keccak256(x || y), 0x-prefixed lowercase. */
  public String ethereumAddress() {
    byte[] unc = point.getEncoded(false);
    byte[] h = Hashes.keccak256(Arrays.copyOfRange(unc, 1, 65));
    return "0x" + Bytes.hex(Arrays.copyOfRange(h, 12, 32));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey && Arrays.equals(compressed, ((Secp256k1PublicKey) o).compressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(compressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey(" + Bytes.hex(compressed) + ")";
  }
}
