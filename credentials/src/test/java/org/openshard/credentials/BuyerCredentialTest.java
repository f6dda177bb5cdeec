package org.openshard.credentials;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1;
import org.openshard.crypto.Secp256k1PrivateKey;

class BuyerCredentialTest {
  /** The EIP-712 example key keccak256("cow") (test-vectors.md); RFC 6979 makes its signature fixed. */
  private static Secp256k1PrivateKey cow() throws Exception {
    return Secp256k1PrivateKey.fromBytes(Hashes.keccak256("cow".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void knownAnswerFromWalletSignature() throws Exception {
    byte[] sig = IdentitySignatures.signDigest(cow(), BuyerCredential.walletMessageDigest());
    assertEquals(
        "520a5ec141a96ef2d111e7175329c0e1170f14148d092f1bdd81a60491e7309b"
            + "54db8d8daae960f41ffa6f7a224b3222da366ffd62358ccc3afb918e7dad05461c",
        Bytes.hex(sig));
    BuyerCredential c = BuyerCredential.fromWalletSignature(sig);
    // x and the anchor recomputed independently (Python: hmac/hashlib HKDF and affine EC arithmetic).
    assertEquals("32f323c1b9f3e03bbf9e47f9ac521f393b5bb490b95c4c1de13b1f2a3c541b44", Bytes.hex(c.secretBytes()));
    assertEquals("02c5f458420bef6a7cc721ecdd1e946e721eb633d579cbacb6f7ee361b5c377cd0", Bytes.hex(c.anchor().toBytes()));
  }

  @Test
  void derivationIsDeterministicAndIgnoresSignatureMalleability() throws Exception {
    Secp256k1PrivateKey wallet = Secp256k1PrivateKey.generate();
    byte[] sig = IdentitySignatures.signDigest(wallet, BuyerCredential.walletMessageDigest());
    BuyerCredential a = BuyerCredential.fromWalletSignature(sig);
    BuyerCredential b = BuyerCredential.fromWalletSignature(sig.clone());
    assertEquals(a.anchor(), b.anchor());

    // v as 0/1 instead of 27/28.
    byte[] v01 = sig.clone();
    v01[64] = (byte) (v01[64] - 27);
    assertEquals(a.anchor(), BuyerCredential.fromWalletSignature(v01).anchor());

    // The high-s twin (r, n - s, flipped v) is the same signature.
    byte[] high = sig.clone();
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    System.arraycopy(Secp256k1.to32Bytes(Secp256k1.N.subtract(s)), 0, high, 32, 32);
    high[64] = (byte) (sig[64] == 27 ? 28 : 27);
    assertEquals(a.anchor(), BuyerCredential.fromWalletSignature(high).anchor());

    // With the expected wallet address.
    assertEquals(a.anchor(), BuyerCredential.fromWalletSignature(sig, wallet.publicKey().ethereumAddress()).anchor());
    assertEquals(
        a.anchor(),
        BuyerCredential.fromWalletSignature(sig, wallet.publicKey().ethereumAddress().toUpperCase().replace("0X", "0x")).anchor());
  }

  @Test
  void anchorIsNotTheWalletKey() throws Exception {
    Secp256k1PrivateKey wallet = Secp256k1PrivateKey.generate();
    BuyerCredential c =
        BuyerCredential.fromWalletSignature(IdentitySignatures.signDigest(wallet, BuyerCredential.walletMessageDigest()));
    assertFalse(java.util.Arrays.equals(wallet.publicKey().compressed(), c.anchor().toBytes()));
    assertNotEquals(wallet.scalar(), c.secretScalar());
  }

  @Test
  void differentWalletsGiveDifferentCredentials() throws Exception {
    BuyerCredential a =
        BuyerCredential.fromWalletSignature(
            IdentitySignatures.signDigest(Secp256k1PrivateKey.generate(), BuyerCredential.walletMessageDigest()));
    BuyerCredential b =
        BuyerCredential.fromWalletSignature(
            IdentitySignatures.signDigest(Secp256k1PrivateKey.generate(), BuyerCredential.walletMessageDigest()));
    assertNotEquals(a.anchor(), b.anchor());
  }

  @Test
  void rejectsMalformedOrForeignSignatures() throws Exception {
    Secp256k1PrivateKey wallet = Secp256k1PrivateKey.generate();
    byte[] sig = IdentitySignatures.signDigest(wallet, BuyerCredential.walletMessageDigest());
    assertThrows(CredentialException.class, () -> BuyerCredential.fromWalletSignature(null));
    assertThrows(CredentialException.class, () -> BuyerCredential.fromWalletSignature(new byte[64]));
    assertThrows(CredentialException.class, () -> BuyerCredential.fromWalletSignature(new byte[65]));
    byte[] badV = sig.clone();
    badV[64] = 29;
    assertThrows(CredentialException.class, () -> BuyerCredential.fromWalletSignature(badV));
    byte[] rIsN = sig.clone();
    System.arraycopy(Secp256k1.to32Bytes(Secp256k1.N), 0, rIsN, 0, 32);
    assertThrows(CredentialException.class, () -> BuyerCredential.fromWalletSignature(rIsN));
    // Signed by another wallet, or over another message: the expected-address check catches it.
    CredentialException e =
        assertThrows(
            CredentialException.class,
            () -> BuyerCredential.fromWalletSignature(sig, Secp256k1PrivateKey.generate().publicKey().ethereumAddress()));
    assertEquals(CredentialException.Reason.INVALID_ARGUMENT, e.reason());
    byte[] otherMessage = IdentitySignatures.sign(wallet, "something else", new byte[] {1});
    assertThrows(
        CredentialException.class,
        () -> BuyerCredential.fromWalletSignature(otherMessage, wallet.publicKey().ethereumAddress()));
  }

  @Test
  void secretRoundTripAndValidation() throws Exception {
    BuyerCredential c = BuyerCredential.generate();
    BuyerCredential d = BuyerCredential.fromSecret(c.secretBytes());
    assertEquals(c.anchor(), d.anchor());
    assertArrayEquals(c.secretBytes(), d.secretBytes());
    assertEquals(c.anchor().point(), Secp256k1.multiplyBase(c.secretScalar()));
    assertThrows(CredentialException.class, () -> BuyerCredential.fromSecret(new byte[32]));
    assertThrows(CredentialException.class, () -> BuyerCredential.fromSecret(Secp256k1.to32Bytes(Secp256k1.N)));
    assertThrows(CredentialException.class, () -> BuyerCredential.fromSecret(new byte[31]));
    assertFalse(c.toString().contains(Bytes.hex(c.secretBytes())));
  }

  @Test
  void walletMessageIsEip191() {
    byte[] m = BuyerCredential.WALLET_MESSAGE.getBytes(StandardCharsets.UTF_8);
    byte[] expected =
        Hashes.keccak256(("\u0019Ethereum Signed Message:\n" + m.length).getBytes(StandardCharsets.UTF_8), m);
    assertArrayEquals(expected, BuyerCredential.walletMessageDigest());
  }
}
