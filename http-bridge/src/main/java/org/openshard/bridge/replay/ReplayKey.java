package org.openshard.bridge.replay;

import java.nio.charset.StandardCharsets;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;

/**
 * A replay tuple, reduced to a fixed-size key: {@code scope ":" hex(sha256(lp(part_1) || ... ||
 * lp(part_n)))} with {@code lp(x) = u32(len(x)) || x}, so distinct tuples never collide by
 * concatenation. Immutable.
 */
public final class ReplayKey {
  private final String id;

  private ReplayKey(String id) {
    this.id = id;
  }

  public static ReplayKey of(String scope, byte[]... parts) {
    byte[][] framed = new byte[parts.length * 2][];
    for (int i = 0; i < parts.length; i++) {
      framed[2 * i] = Bytes.u32(parts[i].length);
      framed[2 * i + 1] = parts[i];
    }
    return new ReplayKey(scope + ":" + Bytes.hex(Hashes.sha256(framed)));
  }

  public static ReplayKey of(String scope, String... parts) {
    byte[][] b = new byte[parts.length][];
    for (int i = 0; i < parts.length; i++) {
      b[i] = parts[i].getBytes(StandardCharsets.UTF_8);
    }
    return of(scope, b);
  }

  /** The key as stored (no secrets: a hash of public values). */
  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplayKey && ((ReplayKey) o).id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }
}
