package org.openshard.crypto;

import java.security.SecureRandom;

/** The one source of randomness in OpenShard. Never use {@code java.util.Random} for secrets. */
public final class SecureRandoms {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecureRandoms() {}

  public static SecureRandom get() {
    return RANDOM;
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
