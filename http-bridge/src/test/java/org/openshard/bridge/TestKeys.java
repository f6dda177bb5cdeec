package org.openshard.bridge;

import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.X25519;

/** Fixed keys for reproducible tests. */
final class TestKeys {
  private TestKeys() {}

  static byte[] filled(int b) {
    byte[] out = new byte[32];
    java.util.Arrays.fill(out, (byte) b);
    return out;
  }

  /**
   * Service keys; the ACI X25519 key is 32 bytes of 0x03, the private key of the test-vectors.md AAD
   * example (public 5dfedd3b…ef22).
   */
  static ServiceKeys service() {
    try {
      return ServiceKeys.of(
          X25519.PrivateKey.fromBytes(filled(0x03)),
          Secp256k1PrivateKey.fromBytes(filled(0x04)),
          Secp256k1PrivateKey.fromBytes(filled(0x05)),
          Ed25519.PrivateKey.fromSeed(filled(0x06)),
          Ed25519.PrivateKey.fromSeed(filled(0x07)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Secp256k1PrivateKey identity() {
    try {
      return Secp256k1PrivateKey.fromBytes(Bytes.fromHex("0000000000000000000000000000000000000000000000000000000000000abc"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
