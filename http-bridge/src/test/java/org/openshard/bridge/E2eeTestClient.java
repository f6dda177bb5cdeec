package org.openshard.bridge;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Hkdf;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.X25519;

/**
 * A client written from the spec (shared/reference/e2ee-interop.md) for the tests, independent of the
 * bridge's E2EE code: it uses only the crypto primitives, builds associated data with plain string
 * formatting, and does its own Ed25519 → X25519 conversion.
 */
final class E2eeTestClient {
  private E2eeTestClient() {}

  /** The two curves as the client sees them. */
  enum Kind {
    SECP256K1,
    X25519
  }

  /** A client key pair on one curve. */
  static final class ClientKey {
    final Kind kind;
    final Secp256k1PrivateKey secp;
    final X25519.PrivateKey x;

    ClientKey(Secp256k1PrivateKey secp) {
      this.kind = Kind.SECP256K1;
      this.secp = secp;
      this.x = null;
    }

    ClientKey(X25519.PrivateKey x) {
      this.kind = Kind.X25519;
      this.secp = null;
      this.x = x;
    }

    /** 65-byte uncompressed (secp256k1) or 32-byte raw (X25519), hex. */
    String publicHex() {
      return kind == Kind.SECP256K1 ? Bytes.hex(secp.publicKey().uncompressed()) : Bytes.hex(x.publicKey().toBytes());
    }
  }

  /** Encrypts one field to {@code recipient}: hex(eph || nonce || ct || tag). */
  static String encrypt(Kind kind, byte[] recipient, String plaintext, byte[] aad, String info) throws Exception {
    byte[] ephPub;
    byte[] shared;
    if (kind == Kind.SECP256K1) {
      Secp256k1PrivateKey eph = Secp256k1PrivateKey.generate();
      ephPub = eph.publicKey().uncompressed();
      shared = eph.agree(Secp256k1PublicKey.fromBytesLenient(recipient));
    } else {
      X25519.PrivateKey eph = X25519.PrivateKey.generate();
      ephPub = eph.publicKey().toBytes();
      shared = eph.agree(X25519.PublicKey.fromBytes(recipient));
    }
    byte[] key = Hkdf.sha256(shared, null, info.getBytes(StandardCharsets.US_ASCII), 32);
    byte[] nonce = SecureRandoms.bytes(12);
    byte[] ct = AesGcm.of(key).encrypt(nonce, plaintext.getBytes(StandardCharsets.UTF_8), aad);
    return Bytes.hex(Bytes.concat(ephPub, nonce, ct));
  }

  /** Decrypts one field addressed to {@code me}. */
  static String decrypt(ClientKey me, String fieldHex, byte[] aad, String info) throws Exception {
    byte[] raw = Bytes.fromHex(fieldHex);
    int ephLen = me.kind == Kind.SECP256K1 ? 65 : 32;
    byte[] eph = Arrays.copyOfRange(raw, 0, ephLen);
    byte[] nonce = Arrays.copyOfRange(raw, ephLen, ephLen + 12);
    byte[] ct = Arrays.copyOfRange(raw, ephLen + 12, raw.length);
    byte[] shared =
        me.kind == Kind.SECP256K1
            ? me.secp.agree(Secp256k1PublicKey.fromBytes(eph))
            : me.x.agree(X25519.PublicKey.fromBytes(eph));
    byte[] key = Hkdf.sha256(shared, null, info.getBytes(StandardCharsets.US_ASCII), 32);
    return new String(AesGcm.of(key).decrypt(nonce, ct, aad), StandardCharsets.UTF_8);
  }

  // ---- ACI E2EE v2 ----

  static String aciAlgo(Kind k) {
    return k == Kind.SECP256K1 ? "secp256k1-aes-256-gcm-hkdf-sha256" : "x25519-aes-256-gcm-hkdf-sha256";
  }

  static String aciInfo(Kind k) {
    return k == Kind.SECP256K1 ? "aci.e2ee.v2.secp256k1" : "aci.e2ee.v2.x25519";
  }

  static byte[] aciRequestAad(Kind k, String field, String model, String nonce, long ts) {
    return String.format(
            "{\"algo\":\"%s\",\"field\":\"%s\",\"model\":\"%s\",\"nonce\":\"%s\",\"purpose\":\"aci.e2ee.request.v2\",\"ts\":%d}",
            aciAlgo(k), field, model, nonce, ts)
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] aciResponseAad(Kind k, String field, String id, String model, String nonce, long ts) {
    return String.format(
            "{\"algo\":\"%s\",\"field\":\"%s\",\"id\":\"%s\",\"model\":\"%s\",\"nonce\":\"%s\",\"purpose\":\"aci.e2ee.response.v2\",\"ts\":%d}",
            aciAlgo(k), field, id, model, nonce, ts)
        .getBytes(StandardCharsets.UTF_8);
  }

  static String randomNonce64() {
    return Bytes.hex(SecureRandoms.bytes(32));
  }

  // ---- Legacy (Dstack vllm-proxy / NEAR) ----

  static String legacyInfo(String algo) {
    return algo.equals("ecdsa") ? "ecdsa_encryption" : "ed25519_encryption";
  }

  static byte[] legacyRequestAad(String algo, String model, int m, String c, String nonce, long ts) {
    return ("v2|req|algo=" + algo + "|model=" + model + "|m=" + m + "|c=" + c + "|n=" + nonce + "|ts=" + ts)
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] legacyResponseAad(String algo, String model, String id, int choice, String field, String nonce, long ts) {
    return ("v2|resp|algo=" + algo + "|model=" + model + "|id=" + id + "|choice=" + choice + "|field=" + field + "|n="
            + nonce + "|ts=" + ts)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  /** u = (1 + y) / (1 - y) mod p of a little-endian Ed25519 public key. */
  static byte[] edPublicToX25519(byte[] ed) {
    byte[] le = ed.clone();
    le[31] &= 0x7f;
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    BigInteger y = new BigInteger(1, be);
    BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
    byte[] out = new byte[32];
    byte[] ub = u.toByteArray();
    for (int i = 0; i < 32 && i < ub.length; i++) {
      out[i] = ub[ub.length - 1 - i];
    }
    return out;
  }

  /** The X25519 private key of an Ed25519 seed: SHA-512(seed)[0..32], clamped. */
  static X25519.PrivateKey edSeedToX25519(Ed25519.PrivateKey ed) throws Exception {
    byte[] h = MessageDigest.getInstance("SHA-512").digest(ed.seed());
    byte[] k = Arrays.copyOf(h, 32);
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
    return X25519.PrivateKey.fromBytes(k);
  }
}
