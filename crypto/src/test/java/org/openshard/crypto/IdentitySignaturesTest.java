package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

class IdentitySignaturesTest {
  private static final String CONTEXT = "openshard/v1/test-object";
  private static final byte[] PAYLOAD = "payload bytes".getBytes(StandardCharsets.UTF_8);

  private static void assertInvalidSignature(ThrowingCall call) {
    CryptoException e = assertThrows(CryptoException.class, call::run);
    assertEquals(CryptoException.Reason.INVALID_SIGNATURE, e.reason(), e.getMessage());
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws CryptoException;
  }

  /** The same signature with s replaced by n - s and v flipped: the malleable twin. */
  private static byte[] highSTwin(byte[] sig) {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
    byte[] twin = Bytes.concat(
        Arrays.copyOfRange(sig, 0, 32), Secp256k1.to32Bytes(Secp256k1.N.subtract(s)), new byte[] {(byte) (55 - sig[64])});
    return twin;
  }

  @Test
  void signRecoverRoundTrip() throws CryptoException {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] sig = IdentitySignatures.sign(key, CONTEXT, PAYLOAD);
    assertEquals(IdentitySignatures.SIGNATURE_BYTES, sig.length);
    assertTrue(sig[64] == 27 || sig[64] == 28);
    assertEquals(key.publicKey().ethereumAddress(), IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, sig));
    String upper = "0x" + key.publicKey().ethereumAddress().substring(2).toUpperCase(java.util.Locale.ROOT);
    assertDoesNotThrow(() -> IdentitySignatures.verify(upper, CONTEXT, PAYLOAD, sig));
    assertInvalidSignature(
        () -> IdentitySignatures.verify(Secp256k1PrivateKey.generate().publicKey().ethereumAddress(), CONTEXT, PAYLOAD, sig));
  }

  @Test
  void signaturesAreByteForByteWhatWeb3jSignMessageProduces() throws CryptoException {
    // web3j's Sign.signMessage (RFC 6979 via BouncyCastle, low-s, v by trial recovery) is the
    // reference; our signer derives v from R directly and must agree on every byte.
    java.util.Random seeds = new java.util.Random(20261122L);
    for (int i = 0; i < 200; i++) {
      Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
      byte[] digest = new byte[32];
      seeds.nextBytes(digest);
      org.web3j.crypto.Sign.SignatureData ref =
          org.web3j.crypto.Sign.signMessage(digest, org.web3j.crypto.ECKeyPair.create(key.scalar()), false);
      byte[] expected = Bytes.concat(ref.getR(), ref.getS(), ref.getV());
      assertArrayEquals(expected, IdentitySignatures.signDigest(key, digest), "signature " + i);
    }
  }

  @Test
  void signaturesAreLowS() throws CryptoException {
    BigInteger halfN = Secp256k1.N.shiftRight(1);
    for (int i = 0; i < 16; i++) {
      byte[] sig = IdentitySignatures.sign(Secp256k1PrivateKey.generate(), CONTEXT, PAYLOAD);
      assertTrue(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)).compareTo(halfN) <= 0);
    }
  }

  @Test
  void highSIsRejectedThoughItIsAValidEcdsaSignature() throws Exception {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] digest = IdentitySignatures.digest(CONTEXT, PAYLOAD);
    byte[] twin = highSTwin(IdentitySignatures.signDigest(key, digest));
    // Plain recovery (no low-s rule) still finds the signer: the rejection is the low-s rule alone.
    BigInteger recovered = Sign.signedMessageHashToKey(digest, new Sign.SignatureData(
        twin[64], Arrays.copyOfRange(twin, 0, 32), Arrays.copyOfRange(twin, 32, 64)));
    assertEquals(key.publicKey().ethereumAddress(), "0x" + Keys.getAddress(recovered));
    assertInvalidSignature(() -> IdentitySignatures.recoverAddressFromDigest(digest, twin));
  }

  @Test
  void wrongVIsRejectedOrRecoversSomeoneElse() throws CryptoException {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] sig = IdentitySignatures.sign(key, CONTEXT, PAYLOAD);
    for (int v : new int[] {0, 1, 26, 29, 30, 255}) {
      byte[] bad = sig.clone();
      bad[64] = (byte) v;
      assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, bad));
    }
    byte[] flipped = sig.clone();
    flipped[64] = (byte) (55 - sig[64]);
    try {
      assertNotEquals(key.publicKey().ethereumAddress(), IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, flipped));
    } catch (CryptoException e) {
      assertEquals(CryptoException.Reason.INVALID_SIGNATURE, e.reason());
    }
    assertInvalidSignature(() -> IdentitySignatures.verify(key.publicKey().ethereumAddress(), CONTEXT, PAYLOAD, flipped));
  }

  @Test
  void wrongContextRecoversAnotherAddress() throws CryptoException {
    Secp256k1PrivateKey key = Secp256k1PrivateKey.generate();
    byte[] sig = IdentitySignatures.sign(key, CONTEXT, PAYLOAD);
    String other = IdentitySignatures.recoverAddress(CONTEXT + "-other", PAYLOAD, sig);
    assertTrue(other.matches("0x[0-9a-f]{40}"), other);
    assertNotEquals(key.publicKey().ethereumAddress(), other);
    assertInvalidSignature(() -> IdentitySignatures.verify(key.publicKey().ethereumAddress(), "other", PAYLOAD, sig));
    // The 0x00 separator keeps (context, payload) boundaries apart.
    assertNotEquals(
        Bytes.hex(IdentitySignatures.digest("ab", "c".getBytes(StandardCharsets.UTF_8))),
        Bytes.hex(IdentitySignatures.digest("a", "bc".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void malformedSignaturesAreRejected() throws CryptoException {
    byte[] sig = IdentitySignatures.sign(Secp256k1PrivateKey.generate(), CONTEXT, PAYLOAD);
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, null));
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, Arrays.copyOf(sig, 64)));
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, Bytes.concat(sig, new byte[1])));
    byte[] zeroR = sig.clone();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, zeroR));
    byte[] zeroS = sig.clone();
    Arrays.fill(zeroS, 32, 64, (byte) 0);
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, zeroS));
    byte[] rIsN = Bytes.concat(Secp256k1.to32Bytes(Secp256k1.N), Arrays.copyOfRange(sig, 32, 65));
    assertInvalidSignature(() -> IdentitySignatures.recoverAddress(CONTEXT, PAYLOAD, rIsN));
  }

  /**
   * EIP-712 "Mail" example (EIP-712 spec, assets/eip-712/Example.js; values copied in
   * /work/shared/reference/test-vectors.md).
   */
  @Test
  void eip712MailVector() throws CryptoException {
    Secp256k1PrivateKey cow = Secp256k1PrivateKey.fromBytes(Hashes.keccak256("cow".getBytes(StandardCharsets.UTF_8)));
    assertEquals("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", cow.publicKey().ethereumAddress());
    byte[] digest = Bytes.fromHex("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    byte[] sig = IdentitySignatures.signDigest(cow, digest);
    assertArrayEquals(Bytes.fromHex("4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"), Arrays.copyOfRange(sig, 0, 32));
    assertArrayEquals(Bytes.fromHex("07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562"), Arrays.copyOfRange(sig, 32, 64));
    assertEquals(28, sig[64]);

    byte[] published = Bytes.fromHex(
        "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
            + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562" + "1c");
    assertEquals("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826", IdentitySignatures.recoverAddressFromDigest(digest, published));
  }
}
