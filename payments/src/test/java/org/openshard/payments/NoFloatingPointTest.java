package org.openshard.payments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openshard.testing.RepoPaths;

/**
 * Money never touches floating point: no {@code float}/{@code double} (or boxed forms) in any
 * payments source or Lua script. Payment code paths added to seller/ or buyer/ later must live in
 * files named *Payment*.java and are scanned too.
 */
class NoFloatingPointTest {
  private static final Pattern FP = Pattern.compile("\\b(float|double|Float|Double)\\b");

  @Test
  void paymentSourcesUseNoFloatingPoint() throws IOException {
    Path root = RepoPaths.repoRoot();
    List<String> hits = new ArrayList<>();
    int scanned = 0;
    for (Path dir : List.of(root.resolve("payments/src/main"), root.resolve("seller/src/main"), root.resolve("buyer/src/main"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          boolean payments = dir.startsWith(root.resolve("payments"));
          boolean relevant = payments ? (name.endsWith(".java") || name.endsWith(".lua")) : name.matches(".*Payment.*\\.java");
          if (!Files.isRegularFile(f) || !relevant) {
            continue;
          }
          scanned++;
          List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
          for (int i = 0; i < lines.size(); i++) {
            Matcher m = FP.matcher(lines.get(i));
            if (m.find()) {
              hits.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    assertTrue(scanned >= 20, "expected to scan the payments sources, scanned " + scanned);
    assertTrue(hits.isEmpty(), "floating point in a money path:\n" + String.join("\n", hits));
  }
}
