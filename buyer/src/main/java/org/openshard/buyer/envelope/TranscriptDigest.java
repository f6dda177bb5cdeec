package org.openshard.buyer.envelope;

/** The 32-byte transcript digest of a sealed envelope (protocol.md ENV-8), what the proof signs. */
public final class TranscriptDigest {
  public static final int BYTES = 32;
  private final byte[] digest;

  public TranscriptDigest(byte[] digest) {
    if (digest == null || digest.length != BYTES) {
      throw new IllegalArgumentException("a transcript digest is 32 bytes");
    }
    this.digest = digest.clone();
  }

  public byte[] toBytes() {
    return digest.clone();
  }
}
