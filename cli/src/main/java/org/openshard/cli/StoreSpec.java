package org.openshard.cli;

import java.util.Locale;

/**
 * A store named on the command line as {@code file:…} or {@code redis://HOST:PORT} ({@code
 * rediss://} too).
 *
 * @param redis whether it names Redis
 * @param target the path after {@code file:}, or the whole Redis URI
 */
record StoreSpec(boolean redis, String target) {
  /**
   * @param option the option's name, for messages (e.g. {@code --replay-store})
   * @param fileLabel what follows {@code file:} in the usage (e.g. {@code PATH})
   * @param fileNoun what a blank {@code file:} lacks (e.g. {@code a path})
   * @param example a valid {@code file:} value
   * @throws IllegalArgumentException if {@code spec} is neither form or {@code file:} has no path
   */
  static StoreSpec parse(String spec, String option, String fileLabel, String fileNoun, String example) {
    String s = spec.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      String path = s.substring("file:".length());
      if (path.isBlank()) {
        throw new IllegalArgumentException(option + " file: needs " + fileNoun + ", e.g. " + example);
      }
      return new StoreSpec(false, path);
    }
    if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
      return new StoreSpec(true, s);
    }
    throw new IllegalArgumentException(
        option + " must be file:" + fileLabel + " or redis://HOST:PORT, was '" + spec + "'");
  }
}
