package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The direct signer (v from the nonce point) gives web3j's exact bytes, and verification against a
 * known public key accepts exactly what recovery attributes to that key.
 */
class IdentitySignaturesFastPathTest {
  private static final String CONTEXT = "openshard/v1/fast-path";

  private static byte[] randomBytes(int n) {
    return SecureRandoms.bytes(n);
  }

  @Test
  void directSignerMatchesWeb3jByteForByte() {
    int v27 = 0;
    for (int i = 0; i < 200; i++) {
      Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
      byte[] digest = randomBytes(32);
      byte[] fast = IdentitySignatures.signDigest(key, digest);
      assertArrayEquals(IdentitySignatures.legacySignDigest(key, digest), fast, "key/digest #" + i);
      v27 += fast[64] == 27 ? 1 : 0;
    }
    // Both parities occur (so the y-parity / low-s flip logic is exercised both ways).
    assertEquals(true, v27 > 50 && v27 < 150, "v = 27 in " + v27 + " of 200");
  }

  @Test
  void recoverPublicKeyGivesTheSigner() throws CryptoException {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] payload = randomBytes(100);
    byte[] sig = IdentitySignatures.sign(key, CONTEXT, payload);
    Secp256k1PublicKey pub = IdentitySignatures.recoverPublicKey(CONTEXT, payload, sig);
    assertEquals(key.publicKey(), pub);
    assertEquals(IdentitySignatures.recoverAddress(CONTEXT, payload, sig), pub.ethereumAddress());
  }

  @Test
  void knownKeyVerificationAgreesWithRecovery() throws CryptoException {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    Secp256k1PublicKey other = Secp256k1PrivateKey.generate().publicKey();
    for (int i = 0; i < 50; i++) {
      byte[] payload = randomBytes(1 + i);
      byte[] sig = IdentitySignatures.sign(key, CONTEXT, payload);
      assertDoesNotThrow(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, sig));
      rejected(() -> IdentitySignatures.verify(other, CONTEXT, payload, sig));
      rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT + "x", payload, sig));
      byte[] flippedV = sig.clone();
      flippedV[64] = (byte) (55 - sig[64]);
      // Recovery with the other v gives another key; so must the known-key check reject it.
      rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, flippedV));
      byte[] tampered = sig.clone();
      tampered[5] ^= 1;
      rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, tampered));
    }
  }

  @Test
  void knownKeyVerificationKeepsTheShapeRules() {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] payload = randomBytes(10);
    byte[] sig = IdentitySignatures.sign(key, CONTEXT, payload);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] highS =
        Bytes.concat(Arrays.copyOfRange(sig, 0, 32), Secp256k1.to32Bytes(Secp256k1.N.subtract(s)), new byte[] {(byte) (55 - sig[64])});
    rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, highS));
    rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, Arrays.copyOf(sig, 64)));
    byte[] v29 = sig.clone();
    v29[64] = 29;
    rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, v29));
    byte[] zeroR = sig.clone();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    rejected(() -> IdentitySignatures.verify(key.publicKey(), CONTEXT, payload, zeroR));
    rejected(() -> IdentitySignatures.verify((Secp256k1PublicKey) null, CONTEXT, payload, sig));
  }

  private interface Call {
    void run() throws CryptoException;
  }

  private static void rejected(Call c) {
    CryptoException e = assertThrows(CryptoException.class, c::run);
    assertEquals(CryptoException.Reason.INVALID_SIGNATURE, e.reason());
  }
}
