package org.openshard.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root and the shared/ folder beside it, from any module's working directory. */
public final class RepoPaths {
  private RepoPaths() {}

  /** The repository root: the nearest ancestor holding both pom.xml and the proto/ folder. */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("proto"))) {
        return p;
      }
      p = p.getParent();
    }
    throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
  }

  /** {@code <repo>/testdata}. */
  public static Path testdata() {
    return repoRoot().resolve("testdata");
  }

  /**
   * The shared/ folder: {@code -Dopenshard.shared=DIR}, else {@code OPENSHARD_SHARED}, else {@code
   * <repo>/../shared}. Fails loudly if missing.
   */
  public static Path shared() {
    String prop = System.getProperty("openshard.shared", System.getenv("OPENSHARD_SHARED"));
    Path p = prop != null ? Path.of(prop) : repoRoot().resolveSibling("shared");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared/ folder not found at " + p + "; set OPENSHARD_SHARED");
    }
    return p;
  }
}
