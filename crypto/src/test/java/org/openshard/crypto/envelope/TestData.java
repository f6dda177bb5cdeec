package org.openshard.crypto.envelope;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's {@code testdata/} folder by walking up from the working directory. */
final class TestData {
  private TestData() {}

  static Path dir() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("testdata").resolve("envelope-v1.json"))) {
        return d.resolve("testdata");
      }
    }
    throw new IllegalStateException("no testdata/envelope-v1.json above " + p);
  }

  static Path file(String name) {
    return dir().resolve(name);
  }
}
