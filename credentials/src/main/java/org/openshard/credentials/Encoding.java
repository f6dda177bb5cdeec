package org.openshard.credentials;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds the exact byte strings hashed by the credential protocol (docs/protocol.md, section 6):
 * big-endian {@code u32}/{@code u64} and length-prefixed {@code lp(x) = u32(len(x)) || x}.
 */
public final class Encoding {
  private final ByteArrayOutputStream out;

  private Encoding(int sizeHint) {
    this.out = new ByteArrayOutputStream(sizeHint);
  }

  public static Encoding create(int sizeHint) {
    return new Encoding(sizeHint);
  }

  /** Starts with {@code lp(utf8(label))}. */
  public static Encoding labelled(String label, int sizeHint) {
    return new Encoding(sizeHint).lp(label.getBytes(StandardCharsets.UTF_8));
  }

  public Encoding u32(long v) {
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("u32 out of range: " + v);
    }
    out.write((int) (v >>> 24));
    out.write((int) (v >>> 16));
    out.write((int) (v >>> 8));
    out.write((int) v);
    return this;
  }

  /** Big-endian 8 bytes; the value is treated as unsigned. */
  public Encoding u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  public Encoding raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  public Encoding lp(byte[] b) {
    u32(b.length);
    return raw(b);
  }

  public Encoding lp(String utf8) {
    return lp(utf8.getBytes(StandardCharsets.UTF_8));
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
