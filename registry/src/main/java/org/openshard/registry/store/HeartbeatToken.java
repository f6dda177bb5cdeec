package org.openshard.registry.store;

import java.security.MessageDigest;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.SecureRandoms;

/**
 * The 32-byte secret a registration issues and every heartbeat ping presents. Compared in constant
 * time; never printed.
 */
public final class HeartbeatToken {
  public static final int BYTES = 32;

  private final byte[] value;

  private HeartbeatToken(byte[] value) {
    this.value = value;
  }

  public static HeartbeatToken generate() {
    return new HeartbeatToken(SecureRandoms.bytes(BYTES));
  }

  /** @throws IllegalArgumentException if not exactly 32 bytes */
  public static HeartbeatToken of(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw new IllegalArgumentException("heartbeat token must be " + BYTES + " bytes");
    }
    return new HeartbeatToken(bytes.clone());
  }

  public byte[] toBytes() {
    return value.clone();
  }

  /** SHA-256 of the token: what a shared store keeps instead of the token itself. */
  public byte[] sha256() {
    return Hashes.sha256(value);
  }

  /** Constant-time comparison. */
  public boolean matches(HeartbeatToken other) {
    return other != null && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeartbeatToken && matches((HeartbeatToken) o);
  }

  @Override
  public int hashCode() {
    return 0; // deliberately uninformative: tokens are secrets, not map keys
  }

  @Override
  public String toString() {
    return "HeartbeatToken(redacted)";
  }
}
