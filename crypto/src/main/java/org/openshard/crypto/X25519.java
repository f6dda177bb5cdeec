package org.openshard.crypto;

import java.util.Arrays;

/** X25519 key agreement (RFC 7748) with the all-zero-output check. */
public final class X25519 {
  public static final int KEY_BYTES = 32;

  private X25519() {}

  /** A public key: any 32 bytes are a valid u-coordinate encoding; small-order ones fail at agreement. */
  public static final class PublicKey {
    private final byte[] u;

    private PublicKey(byte[] u) {
      this.u = u;
    }

    public static PublicKey fromBytes(byte[] u) throws CryptoException {
      if (u == null || u.length != KEY_BYTES) {
        throw new CryptoException(
            CryptoException.Reason.INVALID_PUBLIC_KEY,
            "X25519 public key must be 32 bytes, was " + (u == null ? "missing" : u.length));
      }
      return new PublicKey(u.clone());
    }

    public byte[] toBytes() {
      return u.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PublicKey && Arrays.equals(u, ((PublicKey) o).u);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(u);
    }

    @Override
    public String toString() {
      return "X25519.PublicKey(" + Bytes.hex(u) + ")";
    }
  }

  /** A private scalar (32 bytes; clamped when used). */
  public static final class PrivateKey {
    private final byte[] k;
    private final PublicKey publicKey;

    private PrivateKey(byte[] k) {
      this.k = k;
      byte[] pub = new byte[KEY_BYTES];
      org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(k, 0, pub, 0);
      this.publicKey = new PublicKey(pub);
    }

    public static PrivateKey generate() {
      return new PrivateKey(SecureRandoms.bytes(KEY_BYTES));
    }

    public static PrivateKey fromBytes(byte[] k) throws CryptoException {
      if (k == null || k.length != KEY_BYTES) {
        throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_KEY, "X25519 private key must be 32 bytes");
      }
      return new PrivateKey(k.clone());
    }

    public PublicKey publicKey() {
      return publicKey;
    }

    public byte[] toBytes() {
      return k.clone();
    }

    /** The 32-byte shared secret; rejects an all-zero result (a small-order peer key). */
    public byte[] agree(PublicKey peer) throws CryptoException {
      byte[] out = new byte[KEY_BYTES];
      org.bouncycastle.math.ec.rfc7748.X25519.scalarMult(k, 0, peer.u, 0, out, 0);
      int acc = 0;
      for (byte b : out) {
        acc |= b;
      }
      if (acc == 0) {
        throw new CryptoException(
            CryptoException.Reason.INVALID_PUBLIC_KEY, "X25519 shared secret is all zero (small-order public key)");
      }
      return out;
    }

    @Override
    public String toString() {
      return "X25519.PrivateKey(public=" + Bytes.hex(publicKey.u) + ")";
    }
  }
}
