package org.openshard.registry.ranking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.openshard.registry.validation.Identifiers;

/**
 * An opaque Discover cursor: the rank key (score, peer id) of the last listing returned, the time
 * the first page was computed at (scores of later pages use it, so heartbeat freshness does not
 * reshuffle them) and a hash of the query's filters (a token is only valid for the same filters).
 * Encoded as unpadded base64url of {@code u8 version=1 || u64 filterHash || u64 asOfMs ||
 * f64 score || peerId (42 ASCII bytes)}. Not authenticated: a forged token only changes the
 * caller's own results.
 */
public record PageToken(long filterHash, long asOfMs, double score, String peerId) {
  private static final int VERSION = 1;
  private static final int BYTES = 1 + 8 + 8 + 8 + 42;

  public String encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put((byte) VERSION).putLong(filterHash).putLong(asOfMs).putDouble(score);
    b.put(peerId.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** Empty if the text is not a token this registry issued (any version, shape or value problem). */
  public static Optional<PageToken> decode(String text) {
    if (text == null || text.isEmpty() || text.length() > 100) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (raw.length != BYTES || raw[0] != VERSION) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(raw, 1, BYTES - 1);
    long hash = b.getLong();
    long asOf = b.getLong();
    double score = b.getDouble();
    String peer = new String(raw, 25, 42, StandardCharsets.US_ASCII);
    if (!Double.isFinite(score) || asOf <= 0 || !Identifiers.isPeerId(peer)) {
      return Optional.empty();
    }
    return Optional.of(new PageToken(hash, asOf, score, peer));
  }
}
