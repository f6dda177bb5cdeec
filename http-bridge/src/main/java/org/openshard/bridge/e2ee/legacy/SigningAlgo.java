package org.openshard.bridge.e2ee.legacy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The legacy path's {@code X-Signing-Algo} values. */
public enum SigningAlgo {
  /** secp256k1 ECDH, HKDF info {@code ecdsa_encryption}, 65-byte ephemeral keys. */
  ECDSA("ecdsa", "ecdsa_encryption"),
  /** Ed25519 keys converted to X25519, HKDF info {@code ed25519_encryption}, 32-byte ephemeral keys. */
  ED25519("ed25519", "ed25519_encryption");

  private final String wire;
  private final String info;

  SigningAlgo(String wire, String info) {
    this.wire = wire;
    this.info = info;
  }

  public String wire() {
    return wire;
  }

  public byte[] info() {
    return info.getBytes(StandardCharsets.US_ASCII);
  }

  /** Trimmed, case-insensitive; null if unknown. */
  public static SigningAlgo parse(String header) {
    if (header == null) {
      return null;
    }
    String t = header.trim().toLowerCase(Locale.ROOT);
    for (SigningAlgo a : values()) {
      if (a.wire.equals(t)) {
        return a;
      }
    }
    return null;
  }
}
