package org.openshard.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hkdf;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.X25519;

/**
 * A minimal ACI E2EE v2 client for the x25519 suite ({@code x25519-aes-256-gcm-hkdf-sha256}),
 * written from docs/bridge.md with the crypto primitives only: fields are {@code hex(ephemeral (32)
 * || nonce (12) || ciphertext || tag (16))} under {@code HKDF-SHA256(no salt, X25519 secret,
 * "aci.e2ee.v2.x25519", 32)}, with the JCS associated data of the spec. One instance holds one
 * client key pair.
 */
final class AciClient {
  static final String ALGO = "x25519-aes-256-gcm-hkdf-sha256";
  private static final byte[] INFO = "aci.e2ee.v2.x25519".getBytes(StandardCharsets.US_ASCII);

  private final X25519.PrivateKey key = X25519.PrivateKey.generate();

  /** The client public key as sent in {@code X-Client-Pub-Key}. */
  String publicKeyHex() {
    return Bytes.hex(key.publicKey().toBytes());
  }

  /** A fresh {@code X-E2EE-Nonce}: 32 random bytes, hex. */
  static String newNonce() {
    return Bytes.hex(SecureRandoms.bytes(32));
  }

  /** Encrypts one request field to the service key (32-byte hex). */
  static String sealRequestField(String serviceKeyHex, String field, String model, String nonce, long ts, String plaintext)
      throws CryptoException {
    X25519.PublicKey service = X25519.PublicKey.fromBytes(Bytes.fromHex(serviceKeyHex));
    X25519.PrivateKey eph = X25519.PrivateKey.generate();
    byte[] k = Hkdf.sha256(eph.agree(service), null, INFO, 32);
    byte[] iv = SecureRandoms.bytes(12);
    byte[] ct = AesGcm.of(k).encrypt(iv, plaintext.getBytes(StandardCharsets.UTF_8), requestAad(field, model, nonce, ts));
    return Bytes.hex(Bytes.concat(eph.publicKey().toBytes(), iv, ct));
  }

  /** Decrypts one response field addressed to this client. */
  String openResponseField(String value, String field, String id, String model, String nonce, long ts) throws CryptoException {
    byte[] raw = Bytes.fromHex(value);
    if (raw.length < 32 + 12 + 16) {
      throw new CryptoException(CryptoException.Reason.INVALID_ENCODING, "encrypted field too short: " + raw.length + " bytes");
    }
    X25519.PublicKey eph = X25519.PublicKey.fromBytes(Arrays.copyOfRange(raw, 0, 32));
    byte[] iv = Arrays.copyOfRange(raw, 32, 44);
    byte[] ct = Arrays.copyOfRange(raw, 44, raw.length);
    byte[] k = Hkdf.sha256(key.agree(eph), null, INFO, 32);
    return new String(AesGcm.of(k).decrypt(iv, ct, responseAad(field, id, model, nonce, ts)), StandardCharsets.UTF_8);
  }

  static byte[] requestAad(String field, String model, String nonce, long ts) {
    return ("{\"algo\":" + JsonText.quote(ALGO) + ",\"field\":" + JsonText.quote(field) + ",\"model\":" + JsonText.quote(model)
            + ",\"nonce\":" + JsonText.quote(nonce) + ",\"purpose\":\"aci.e2ee.request.v2\",\"ts\":" + ts + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] responseAad(String field, String id, String model, String nonce, long ts) {
    return ("{\"algo\":" + JsonText.quote(ALGO) + ",\"field\":" + JsonText.quote(field) + ",\"id\":" + JsonText.quote(id)
            + ",\"model\":" + JsonText.quote(model) + ",\"nonce\":" + JsonText.quote(nonce)
            + ",\"purpose\":\"aci.e2ee.response.v2\",\"ts\":" + ts + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
