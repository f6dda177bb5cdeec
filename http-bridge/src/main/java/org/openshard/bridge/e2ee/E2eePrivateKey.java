package org.openshard.bridge.e2ee;

import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;

/** A private key for HTTP E2EE key agreement. {@link #toString()} never prints the secret. */
public final class E2eePrivateKey {
  private final Curve curve;
  private final Secp256k1PrivateKey secp;
  private final X25519.PrivateKey x25519;
  private final E2eePublicKey publicKey;

  private E2eePrivateKey(Curve curve, Secp256k1PrivateKey secp, X25519.PrivateKey x25519) {
    this.curve = curve;
    this.secp = secp;
    this.x25519 = x25519;
    this.publicKey = secp != null ? E2eePublicKey.of(secp.publicKey()) : E2eePublicKey.of(x25519.publicKey());
  }

  public static E2eePrivateKey of(Secp256k1PrivateKey k) {
    return new E2eePrivateKey(Curve.SECP256K1, k, null);
  }

  public static E2eePrivateKey of(X25519.PrivateKey k) {
    return new E2eePrivateKey(Curve.X25519, null, k);
  }

  public static E2eePrivateKey generate(Curve curve) {
    return curve == Curve.SECP256K1 ? of(Secp256k1PrivateKey.generate()) : of(X25519.PrivateKey.generate());
  }

  public Curve curve() {
    return curve;
  }

  public E2eePublicKey publicKey() {
    return publicKey;
  }

  /** The secret bytes (32), for key files only. */
  public byte[] secretBytes() {
    return secp != null ? secp.toBytes() : x25519.toBytes();
  }

  /**
   * ECDH with {@code peer}: the x-coordinate for secp256k1, the raw output for X25519.
   *
   * @throws CryptoException INVALID_PUBLIC_KEY for a curve mismatch or a small-order X25519 key
   */
  public byte[] agree(E2eePublicKey peer) throws CryptoException {
    if (peer.curve() != curve) {
      throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "peer key is on another curve");
    }
    return secp != null ? secp.agree(peer.secp256k1()) : x25519.agree(peer.x25519());
  }

  @Override
  public String toString() {
    return "E2eePrivateKey(public=" + publicKey.hex() + ")";
  }
}
