package org.openshard.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  /** RFC 8032, Section 7.1, TEST 1 (empty message). */
  @Test
  void rfc8032Test1() throws CryptoException {
    Ed25519.PrivateKey k =
        Ed25519.PrivateKey.fromSeed(Bytes.fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Bytes.hex(k.publicKey().toBytes()));
    byte[] sig = k.sign(new byte[0]);
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        Bytes.hex(sig));
    assertTrue(k.publicKey().verify(new byte[0], sig));
  }

  @Test
  void signVerifyAndTamper() throws CryptoException {
    Ed25519.PrivateKey k = Ed25519.PrivateKey.generate();
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] sig = k.sign(msg);
    Ed25519.PublicKey pub = Ed25519.PublicKey.fromBytes(k.publicKey().toBytes());
    assertTrue(pub.verify(msg, sig));
    for (int i = 0; i < sig.length; i++) {
      byte[] bad = sig.clone();
      bad[i] ^= 0x01;
      assertFalse(pub.verify(msg, bad), "flipped bit in byte " + i);
    }
    assertFalse(pub.verify("hellp".getBytes(StandardCharsets.UTF_8), sig));
    assertFalse(Ed25519.PrivateKey.generate().publicKey().verify(msg, sig));
    assertFalse(pub.verify(msg, java.util.Arrays.copyOf(sig, 63)));
    assertFalse(pub.verify(msg, Bytes.concat(sig, new byte[1])));
    assertFalse(pub.verify(null, sig));
  }

  @Test
  void publicKeyIsValidated() {
    for (int n : new int[] {0, 31, 33}) {
      CryptoException e = assertThrows(CryptoException.class, () -> Ed25519.PublicKey.fromBytes(new byte[n]));
      assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason());
    }
    // y = 2 is not the y-coordinate of any edwards25519 point.
    byte[] notAPoint = new byte[32];
    notAPoint[0] = 2;
    CryptoException e = assertThrows(CryptoException.class, () -> Ed25519.PublicKey.fromBytes(notAPoint));
    assertEquals(CryptoException.Reason.INVALID_PUBLIC_KEY, e.reason());
  }
}
