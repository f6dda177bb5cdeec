package org.openshard.bridge.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.openshard.crypto.Hashes;

/**
 * Bearer API keys. The file holds one key per line; blank lines and lines starting with {@code #}
 * are ignored; surrounding whitespace is trimmed. Only SHA-256 digests are kept in memory, and a
 * presented key is compared against every digest in constant time (no early exit).
 */
public final class ApiKeys {
  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    this.digests = List.copyOf(digests);
  }

  public static ApiKeys of(List<String> keys) {
    List<byte[]> d = new ArrayList<>();
    for (String k : keys) {
      String t = k.trim();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("an API key is empty");
      }
      d.add(Hashes.sha256(t.getBytes(StandardCharsets.UTF_8)));
    }
    if (d.isEmpty()) {
      throw new IllegalArgumentException("no API keys given");
    }
    return new ApiKeys(d);
  }

  /**
   * @throws IOException if the file is missing or holds no key (the message says what to do)
   */
  public static ApiKeys read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException("API key file " + file + " does not exist; write one key per line");
    }
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String t = line.trim();
      if (!t.isEmpty() && !t.startsWith("#")) {
        keys.add(t);
      }
    }
    if (keys.isEmpty()) {
      throw new IOException("API key file " + file + " holds no key; write one key per line");
    }
    return of(keys);
  }

  /** True if {@code presented} is one of the keys. Time does not depend on which key matched. */
  public boolean accepts(String presented) {
    if (presented == null) {
      return false;
    }
    byte[] d = Hashes.sha256(presented.getBytes(StandardCharsets.UTF_8));
    int match = 0;
    for (byte[] k : digests) {
      match |= MessageDigest.isEqual(k, d) ? 1 : 0;
    }
    return match == 1;
  }

  /** The bearer token of an Authorization header value, or null. */
  public static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String t = authorization.trim();
    if (t.length() < 7 || !t.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return t.substring(7).trim();
  }

  public int size() {
    return digests.size();
  }
}
