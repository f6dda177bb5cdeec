package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.cli.demo.DemoConfig;
import org.openshard.cli.demo.DemoStack;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.RepoPaths;

/** examples/java/PrivateChat.java compiles against this build and chats privately through a demo market. */
class JavaExampleTest {
  @TempDir Path dir;

  @Test
  void compilesAndChatsThroughTheDemoMarket() throws Exception {
    Path source = RepoPaths.repoRoot().resolve("examples/java/PrivateChat.java");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "a JDK compiler");
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(null, diagnostics, diagnostics,
            "-d", dir.toString(), "-cp", System.getProperty("java.class.path"), source.toString());
    assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

    DemoConfig config =
        new DemoConfig(
            "demo-model", null, "echo", DemoConfig.threeSellers(), false,
            ListenAddress.loopback(0), ListenAddress.loopback(0), ListenAddress.loopback(0));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (DemoStack stack = DemoStack.start(config, new PrintStream(log, true, StandardCharsets.UTF_8));
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Method run = loader.loadClass("PrivateChat").getMethod("run", String[].class, PrintStream.class);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          (int) run.invoke(null, new String[] {
                "--registry", stack.registryTarget(), "--prompt", "COBALT-LYNX-22", "--credential", dir.resolve("c").toString()},
              new PrintStream(out, true, StandardCharsets.UTF_8));
      String text = out.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, text);
      String[] lines = text.split("\n");
      assertEquals("COBALT-LYNX-22", lines[0].trim(), text);
      String servedBy = lines[1];
      assertTrue(stack.sellerPeerIds().stream().anyMatch(id -> servedBy.startsWith("served by " + id)), servedBy);
    }
  }
}
