package org.openshard.crypto;

import java.util.Arrays;

/** Ed25519 signatures (RFC 8032, pure). */
public final class Ed25519 {
  public static final int PUBLIC_KEY_BYTES = 32;
  public static final int SEED_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private Ed25519() {}

  public static final class PublicKey {
    private final byte[] a;

    private PublicKey(byte[] a) {
      this.a = a;
    }

    /** Checks the length and that the encoding decodes to a curve point. */
    public static PublicKey fromBytes(byte[] a) throws CryptoException {
      if (a == null || a.length != PUBLIC_KEY_BYTES) {
        throw new CryptoException(
            CryptoException.Reason.INVALID_PUBLIC_KEY,
            "Ed25519 public key must be 32 bytes, was " + (a == null ? "missing" : a.length));
      }
      if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartial(a, 0)) {
        throw new CryptoException(CryptoException.Reason.INVALID_PUBLIC_KEY, "Ed25519 public key is not a curve point");
      }
      return new PublicKey(a.clone());
    }

    public byte[] toBytes() {
      return a.clone();
    }

    /** True iff {@code signature} is a valid signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
      if (signature == null || signature.length != SIGNATURE_BYTES || message == null) {
        return false;
      }
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, a, 0, message, 0, message.length);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PublicKey && Arrays.equals(a, ((PublicKey) o).a);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(a);
    }

    @Override
    public String toString() {
      return "Ed25519.PublicKey(" + Bytes.hex(a) + ")";
    }
  }

  public static final class PrivateKey {
    private final byte[] seed;
    private final PublicKey publicKey;

    private PrivateKey(byte[] seed) {
      this.seed = seed;
      byte[] pub = new byte[PUBLIC_KEY_BYTES];
      org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pub, 0);
      this.publicKey = new PublicKey(pub);
    }

    public static PrivateKey generate() {
      return new PrivateKey(SecureRandoms.bytes(SEED_BYTES));
    }

    /** From the 32-byte RFC 8032 seed. */
    public static PrivateKey fromSeed(byte[] seed) throws CryptoException {
      if (seed == null || seed.length != SEED_BYTES) {
        throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_KEY, "Ed25519 seed must be 32 bytes");
      }
      return new PrivateKey(seed.clone());
    }

    public PublicKey publicKey() {
      return publicKey;
    }

    public byte[] seed() {
      return seed.clone();
    }

    public byte[] sign(byte[] message) {
      byte[] sig = new byte[SIGNATURE_BYTES];
      org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
      return sig;
    }

    @Override
    public String toString() {
      return "Ed25519.PrivateKey(public=" + Bytes.hex(publicKey.a) + ")";
    }
  }
}
