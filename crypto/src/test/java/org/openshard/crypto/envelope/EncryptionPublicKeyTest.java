package org.openshard.crypto.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openshard.crypto.envelope.Fixtures.assertReason;

import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.CryptoException.Reason;
import org.openshard.crypto.X25519;
import org.openshard.proto.v1.CipherSuite;

class EncryptionPublicKeyTest {
  private static final CipherSuite X = CipherSuite.CIPHER_SUITE_X25519_HKDF_SHA256_AES_256_GCM;
  private static final CipherSuite K = CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM;

  @Test
  void lengthsAndSuitesAreChecked() throws Exception {
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(X, new byte[33]));
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(X, null));
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(K, new byte[32]));
    assertReason(Reason.UNSUPPORTED, () -> EncryptionPublicKey.fromBytes(CipherSuite.CIPHER_SUITE_UNSPECIFIED, new byte[32]));
    assertReason(Reason.UNSUPPORTED, () -> EncryptionPublicKey.fromBytes(CipherSuite.UNRECOGNIZED, new byte[32]));
    // The 65-byte uncompressed form of a valid secp256k1 key is refused: one key, one encoding.
    SellerEncryptionKey k = SellerEncryptionKey.generate(K, "k", Fixtures.NOT_BEFORE, Fixtures.NOT_AFTER);
    byte[] uncompressed = k.publicKey().secp256k1().uncompressed();
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(K, uncompressed));
    assertEquals(k.publicKey(), EncryptionPublicKey.fromBytes(K, k.publicKey().toBytes()));
  }

  @Test
  void nonCanonicalX25519EncodingsAreRefused() throws Exception {
    byte[] p = Bytes.fromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // u = p
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(X, p));
    byte[] pMinus1 = Bytes.fromHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    EncryptionPublicKey.fromBytes(X, pMinus1); // canonical (though of small order)
    byte[] top = new byte[32];
    top[0] = 9;
    top[31] = (byte) 0x80;
    assertReason(Reason.INVALID_PUBLIC_KEY, () -> EncryptionPublicKey.fromBytes(X, top));
  }

  /**
   * The u-coordinates of the points of order 1, 2, 4 and 8 on Curve25519 and its twist, canonical and
   * not (the list libsodium and others block). Each must be refused; the primitive itself confirms
   * that each one gives an all-zero secret with a random scalar, so the list cannot be wrong
   * silently.
   */
  private static final String[] SMALL_ORDER = {
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  };

  @Test
  void smallOrderX25519KeysAreRefused() throws Exception {
    X25519.PrivateKey random = X25519.PrivateKey.generate();
    for (String hex : SMALL_ORDER) {
      byte[] u = Bytes.fromHex(hex);
      assertReason(Reason.INVALID_PUBLIC_KEY, () -> random.agree(X25519.PublicKey.fromBytes(u)));
      assertTrue(rejects(u), hex + " was accepted");
    }
  }

  @Test
  void ordinaryX25519KeysAreAccepted() throws Exception {
    for (int i = 0; i < 50; i++) {
      byte[] pub = X25519.PrivateKey.generate().publicKey().toBytes();
      EncryptionPublicKey.fromBytes(X, pub).requireNotSmallOrder();
    }
  }

  private static boolean rejects(byte[] pub) {
    try {
      EncryptionPublicKey.fromBytes(X, pub).requireNotSmallOrder();
      return false;
    } catch (CryptoException e) {
      return e.reason() == Reason.INVALID_PUBLIC_KEY;
    }
  }
}
