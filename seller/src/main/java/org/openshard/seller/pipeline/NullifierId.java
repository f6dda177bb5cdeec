package org.openshard.seller.pipeline;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;

/**
 * A verified proof's nullifier (the 33-byte key image) as the seller stores it. Only its SHA-256
 * ({@link #hash()}) is ever logged or sent back. Immutable.
 */
public final class NullifierId {
  private final ByteString keyImage;
  private final ByteString hash;

  private NullifierId(ByteString keyImage) {
    this.keyImage = keyImage;
    this.hash = ByteString.copyFrom(Hashes.sha256(keyImage.toByteArray()));
  }

  /** From the key image bytes (the caller has validated the point). */
  public static NullifierId of(ByteString keyImage) {
    Objects.requireNonNull(keyImage, "keyImage");
    if (keyImage.isEmpty()) {
      throw new IllegalArgumentException("key image is empty");
    }
    return new NullifierId(keyImage);
  }

  public ByteString keyImage() {
    return keyImage;
  }

  /** SHA-256 of the key image (Accepted.nullifier_hash, the audit log's nullifier). */
  public ByteString hash() {
    return hash;
  }

  public String hashHex() {
    return Bytes.hex(hash.toByteArray());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NullifierId && ((NullifierId) o).keyImage.equals(keyImage);
  }

  @Override
  public int hashCode() {
    return keyImage.hashCode();
  }

  @Override
  public String toString() {
    return "NullifierId(sha256=" + hashHex() + ")";
  }
}
