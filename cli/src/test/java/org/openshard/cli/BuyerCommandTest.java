package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuyerCommandTest {
  private static String[] run(String... args) {
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

  @Test
  void helpDocumentsTheOptionsWithExamples() {
    String[] r = run("buyer", "--help");
    assertEquals("0", r[0]);
    for (String opt : new String[] {"--listen", "--registry", "--credential", "--ring-size", "--max-input-price", "--max-output-price", "--metrics"}) {
      assertTrue(r[1].contains(opt), opt);
    }
    assertTrue(r[1].contains("./openshard buyer --listen"), r[1]);
    assertTrue(run("--help")[1].contains("buyer"));
  }

  @Test
  void theRegistryIsRequired() {
    String[] r = run("buyer", "--listen", "127.0.0.1:0");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--registry"), r[2]);
  }

  @Test
  void badValuesAreRejectedBeforeStarting() {
    String[] badListen = run("buyer", "--listen", "nope:port", "--registry", "127.0.0.1:1");
    assertEquals("2", badListen[0]);
    assertTrue(badListen[2].contains("bad port"), badListen[2]);
    String[] badRing = run("buyer", "--registry", "127.0.0.1:1", "--ring-size", "65");
    assertEquals("2", badRing[0]);
    assertTrue(badRing[2].contains("ring size"), badRing[2]);
  }
}
