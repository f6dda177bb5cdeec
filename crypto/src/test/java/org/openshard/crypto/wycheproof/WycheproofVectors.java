package org.openshard.crypto.wycheproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds and reads the Wycheproof JSON files.
 *
 * <p>Location: the system property {@value #PROPERTY} if set; otherwise the first ancestor of the
 * working directory that has {@code shared/vectors/wycheproof} (the layout is {@code <dir>/main}
 * for the repository and {@code <dir>/shared} beside it). A missing folder fails the test loudly.
 */
final class WycheproofVectors {
  static final String PROPERTY = "wycheproof.dir";
  private static final Path RELATIVE = Paths.get("shared", "vectors", "wycheproof");
  private static final ObjectMapper JSON = new ObjectMapper();

  private WycheproofVectors() {}

  static Path directory() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path dir = Paths.get(configured).toAbsolutePath();
      if (!Files.isDirectory(dir)) {
        throw new AssertionError("-D" + PROPERTY + "=" + configured + " is not a directory");
      }
      return dir;
    }
    List<Path> tried = new ArrayList<>();
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(RELATIVE);
      tried.add(candidate);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "Wycheproof vectors not found: set -D" + PROPERTY + "=<dir> or place them at ../shared/vectors/wycheproof"
            + " relative to the repository root; tried " + tried);
  }

  /** The parsed file; fails if it is missing or has no test groups. */
  static JsonNode load(String fileName) {
    Path file = directory().resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("Wycheproof file is missing: " + file);
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (!root.path("testGroups").isArray() || !root.path("numberOfTests").isInt()) {
      throw new AssertionError(file + " has no testGroups or numberOfTests");
    }
    return root;
  }

  static byte[] hex(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new AssertionError("vector field '" + field + "' is missing in " + node);
    }
    return HexFormat.of().parseHex(v.asText());
  }

  static List<String> flags(JsonNode test) {
    List<String> out = new ArrayList<>();
    test.path("flags").forEach(f -> out.add(f.asText()));
    return out;
  }
}
