package org.openshard.crypto.envelope;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.X25519;
import org.openshard.proto.v1.CipherSuite;

/**
 * A private key-agreement key of one suite: a buyer's ephemeral key or the secret half of a
 * seller encryption key. {@link #erase()} wipes the private bytes this object owns and drops the
 * primitive key object, after which {@link #agree} fails. (The JVM cannot guarantee that no copy
 * survives elsewhere on the heap until it is collected; see docs/security.md section 3.)
 *
 * <p>Thread-safe: agreements run concurrently (read lock); erasure waits for them (write lock).
 */
final class AgreementKey {
  private final CipherSuite suite;
  private final EncryptionPublicKey publicKey;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private byte[] secret;
  private Secp256k1PrivateKey secp256k1;
  private X25519.PrivateKey x25519;

  private AgreementKey(CipherSuite suite, byte[] secret, Secp256k1PrivateKey secp256k1, X25519.PrivateKey x25519) {
    this.suite = suite;
    this.secret = secret;
    this.secp256k1 = secp256k1;
    this.x25519 = x25519;
    this.publicKey =
        secp256k1 != null ? EncryptionPublicKey.of(secp256k1.publicKey()) : EncryptionPublicKey.of(x25519.publicKey());
  }

  /** A fresh key from {@link SecureRandoms}. */
  static AgreementKey generate(CipherSuite suite) throws CryptoException {
    Suites.require(suite);
    if (Suites.isSecp256k1(suite)) {
      Secp256k1PrivateKey k = Secp256k1PrivateKey.generate();
      return new AgreementKey(suite, k.toBytes(), k, null);
    }
    byte[] secret = SecureRandoms.bytes(X25519.KEY_BYTES);
    return new AgreementKey(suite, secret, null, X25519.PrivateKey.fromBytes(secret));
  }

  /**
   * From 32 private bytes (secp256k1: big-endian scalar in [1, n-1]; X25519: the RFC 7748 scalar
   * bytes, clamped on use). The array is copied.
   *
   * @throws CryptoException UNSUPPORTED or INVALID_PRIVATE_KEY
   */
  static AgreementKey fromBytes(CipherSuite suite, byte[] privateKey) throws CryptoException {
    Suites.require(suite);
    if (privateKey == null || privateKey.length != 32) {
      throw new CryptoException(CryptoException.Reason.INVALID_PRIVATE_KEY, "private key must be 32 bytes");
    }
    byte[] secret = privateKey.clone();
    if (Suites.isSecp256k1(suite)) {
      return new AgreementKey(suite, secret, Secp256k1PrivateKey.fromBytes(secret), null);
    }
    return new AgreementKey(suite, secret, null, X25519.PrivateKey.fromBytes(secret));
  }

  CipherSuite suite() {
    return suite;
  }

  EncryptionPublicKey publicKey() {
    return publicKey;
  }

  /**
   * The 32-byte ECDH secret with {@code peer}: the x-coordinate (secp256k1) or the X25519 output
   * (rejected if all zero). The caller wipes it.
   *
   * @throws CryptoException UNSUPPORTED if the peer key is of another suite, UNKNOWN_KEY if this key
   *     was erased, INVALID_PUBLIC_KEY for a small-order peer key
   */
  byte[] agree(EncryptionPublicKey peer) throws CryptoException {
    if (peer.suite() != suite) {
      throw new CryptoException(
          CryptoException.Reason.UNSUPPORTED, "peer key is " + peer.suite() + ", this key is " + suite);
    }
    lock.readLock().lock();
    try {
      if (secret == null) {
        throw new CryptoException(CryptoException.Reason.UNKNOWN_KEY, "the private key was erased");
      }
      return secp256k1 != null ? secp256k1.agree(peer.secp256k1()) : x25519.agree(peer.x25519());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Wipes the private bytes and forgets the key. Idempotent. */
  void erase() {
    lock.writeLock().lock();
    try {
      Bytes.wipe(secret);
      secret = null;
      secp256k1 = null;
      x25519 = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  boolean isErased() {
    lock.readLock().lock();
    try {
      return secret == null;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "AgreementKey(" + suite + ", public=" + Bytes.hex(publicKey.encodedView()) + ")";
  }
}
