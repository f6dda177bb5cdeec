package org.openshard.bridge.e2ee.legacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.X25519;

class Ed25519ConversionTest {
  /**
   * The two conversions must agree: the X25519 public key of the converted private scalar equals the
   * birational map of the Ed25519 public key. A mistake in either side breaks this for random keys.
   */
  @Test
  void publicAndPrivateConversionsAgree() throws Exception {
    for (int i = 0; i < 50; i++) {
      Ed25519.PrivateKey ed = Ed25519.PrivateKey.generate();
      X25519.PrivateKey x = Ed25519Conversion.toX25519(ed);
      X25519.PublicKey mapped = Ed25519Conversion.toX25519(ed.publicKey());
      assertArrayEquals(x.publicKey().toBytes(), mapped.toBytes());
    }
  }

  /**
   * RFC 8032 section 7.1 TEST 1 key. The expected X25519 key was computed independently in Python:
   * u = (1+y)/(1-y) mod p from the public key, and, identically, X25519(clamp(SHA-512(seed)[:32]), 9)
   * with the pyca/cryptography library.
   */
  @Test
  void rfc8032Test1PublicKey() throws Exception {
    Ed25519.PrivateKey ed =
        Ed25519.PrivateKey.fromSeed(Bytes.fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Bytes.hex(ed.publicKey().toBytes()));
    String expected = "d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e";
    assertEquals(expected, Bytes.hex(Ed25519Conversion.toX25519(ed.publicKey()).toBytes()));
    assertEquals(expected, Bytes.hex(Ed25519Conversion.toX25519(ed).publicKey().toBytes()));
  }
}
