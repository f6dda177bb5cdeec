package org.openshard.crypto;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The one source of randomness in OpenShard. Never use {@code java.util.Random} for secrets.
 *
 * <p>One NIST SP 800-90A DRBG per thread ({@code SecureRandom.getInstance("DRBG")}: Hash_DRBG
 * over SHA-256, seeded and reseeded by the JDK from the operating system's entropy source), so
 * request threads do not queue on one shared generator's lock.
 */
public final class SecureRandoms {
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandoms::create);

  private SecureRandoms() {}

  private static SecureRandom create() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom(); // every JDK 9+ has DRBG; the platform default is still secure
    }
  }

  /** This thread's generator (thread-safe, so it may also be kept and shared). */
  public static SecureRandom get() {
    return RANDOM.get();
  }

  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.get().nextBytes(b);
    return b;
  }
}
