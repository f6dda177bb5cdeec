package org.openshard.bridge.e2ee;

/** The key-agreement curves the HTTP E2EE modes use. */
public enum Curve {
  /** secp256k1 ECDH; shared secret = x-coordinate; ephemeral keys are 65-byte uncompressed SEC1. */
  SECP256K1(65),
  /** X25519 (RFC 7748); shared secret = the 32-byte output; ephemeral keys are 32 raw bytes. */
  X25519(32);

  private final int ephemeralKeyBytes;

  Curve(int ephemeralKeyBytes) {
    this.ephemeralKeyBytes = ephemeralKeyBytes;
  }

  /** Length of the ephemeral public key that prefixes each encrypted field. */
  public int ephemeralKeyBytes() {
    return ephemeralKeyBytes;
  }
}
