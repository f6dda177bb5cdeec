package org.openshard.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.openshard.crypto.Bytes;

/**
 * Builds the canonical byte strings of docs/protocol.md: big-endian integers and {@code lp(x) =
 * u32(len(x)) || x}. Never protobuf: these encodings must be reproducible byte for byte in any
 * language.
 */
final class ByteWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  /** Starts an encoding with its domain label, {@code lp(ascii(label))}. */
  static ByteWriter labelled(String label) {
    return new ByteWriter().lp(label.getBytes(StandardCharsets.US_ASCII));
  }

  ByteWriter u8(int v) {
    out.write(v & 0xff);
    return this;
  }

  ByteWriter u32(int v) {
    out.writeBytes(Bytes.u32(v));
    return this;
  }

  ByteWriter u64(long v) {
    out.writeBytes(Bytes.u64(v));
    return this;
  }

  /** Fixed-length bytes, written without a length prefix. */
  ByteWriter raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** Length-prefixed bytes. */
  ByteWriter lp(byte[] b) {
    u32(b.length);
    out.writeBytes(b);
    return this;
  }

  /** Length-prefixed UTF-8 of a string. */
  ByteWriter lp(String s) {
    return lp(s.getBytes(StandardCharsets.UTF_8));
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
