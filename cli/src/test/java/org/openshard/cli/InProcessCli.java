package org.openshard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an {@code openshard} command in this JVM with stdout and stderr captured. */
final class InProcessCli {
  private InProcessCli() {}

  /** {@code {exit code, stdout, stderr}} of {@code openshard args…}. */
  static String[] run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine().execute(args);
      return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
