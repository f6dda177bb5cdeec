package org.openshard.credentials.h2c;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code expand_message_xmd} with SHA-256 (RFC 9380, section 5.3.1), including the oversize-DST rule
 * of section 5.3.3.
 */
public final class ExpandMessageXmd {
  /** SHA-256 output size b_in_bytes. */
  static final int B_IN_BYTES = 32;
  /** SHA-256 input block size s_in_bytes. */
  static final int S_IN_BYTES = 64;
  /** Largest output: 255 blocks. */
  public static final int MAX_LENGTH = 255 * B_IN_BYTES;

  private static final byte[] OVERSIZE_DST_PREFIX = "H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII);

  private ExpandMessageXmd() {}

  /**
   * Expands {@code msg} to {@code lenInBytes} uniform bytes under the domain separation tag {@code
   * dst}.
   *
   * @throws IllegalArgumentException if the length is 0 or above {@link #MAX_LENGTH}, or the DST is
   *     empty
   */
  public static byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
    if (msg == null || dst == null) {
      throw new IllegalArgumentException("msg and dst are required");
    }
    if (lenInBytes <= 0 || lenInBytes > MAX_LENGTH) {
      throw new IllegalArgumentException("len_in_bytes must be 1.." + MAX_LENGTH + ", was " + lenInBytes);
    }
    if (dst.length == 0) {
      throw new IllegalArgumentException("DST must not be empty");
    }
    byte[] effectiveDst = dst.length > 255 ? sha256(OVERSIZE_DST_PREFIX, dst) : dst;
    byte[] dstPrime = new byte[effectiveDst.length + 1];
    System.arraycopy(effectiveDst, 0, dstPrime, 0, effectiveDst.length);
    dstPrime[effectiveDst.length] = (byte) effectiveDst.length;

    int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
    MessageDigest md = newSha256();
    // b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime)
    md.update(new byte[S_IN_BYTES]);
    md.update(msg);
    md.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
    md.update(dstPrime);
    byte[] b0 = md.digest();

    byte[] out = new byte[lenInBytes];
    // With prev = 0 the loop computes b_1 = H(b_0 || 1 || DST_prime), then b_i = H((b_0 xor b_(i-1)) || i || DST_prime).
    byte[] prev = new byte[B_IN_BYTES];
    byte[] mix = new byte[B_IN_BYTES];
    for (int i = 1; i <= ell; i++) {
      for (int j = 0; j < B_IN_BYTES; j++) {
        mix[j] = (byte) (b0[j] ^ prev[j]);
      }
      md.update(mix);
      md.update((byte) i);
      md.update(dstPrime);
      prev = md.digest();
      int off = (i - 1) * B_IN_BYTES;
      System.arraycopy(prev, 0, out, off, Math.min(B_IN_BYTES, lenInBytes - off));
    }
    return out;
  }

  private static byte[] sha256(byte[] a, byte[] b) {
    MessageDigest md = newSha256();
    md.update(a);
    md.update(b);
    return md.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
