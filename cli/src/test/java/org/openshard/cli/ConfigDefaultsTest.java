package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigDefaultsTest {
  @TempDir Path dir;

  @Command(name = "seller")
  static final class Probe implements Runnable {
    @Option(names = "--listen", defaultValue = "127.0.0.1:0") String listen;
    @Option(names = "--registry") String registry;
    @Option(names = "--max-concurrency", defaultValue = "64") int maxConcurrency;

    @Override
    public void run() {}
  }

  private Probe parse(Map<String, String> env, Properties config, String... args) {
    Probe p = new Probe();
    CommandLine cl = new CommandLine(p);
    cl.setDefaultValueProvider(new EnvironmentDefaults(env, config));
    cl.parseArgs(args);
    return p;
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws IOException {
    Path file = dir.resolve("openshard.properties");
    Files.writeString(file, "# shared\nregistry = 127.0.0.1:7000\nseller.listen = 127.0.0.1:7100\nbuyer.listen = 127.0.0.1:7300\n");
    Properties config = EnvironmentDefaults.load(file);

    Probe fromFile = parse(Map.of(), config);
    assertEquals("127.0.0.1:7100", fromFile.listen, "command-scoped key");
    assertEquals("127.0.0.1:7000", fromFile.registry, "global key");
    assertEquals(64, fromFile.maxConcurrency, "built-in default");

    Probe fromEnv = parse(Map.of("OPENSHARD_LISTEN", "127.0.0.1:7200", "OPENSHARD_MAX_CONCURRENCY", "8"), config);
    assertEquals("127.0.0.1:7200", fromEnv.listen);
    assertEquals(8, fromEnv.maxConcurrency);

    Probe fromFlag = parse(Map.of("OPENSHARD_LISTEN", "127.0.0.1:7200"), config, "--listen", "127.0.0.1:7999");
    assertEquals("127.0.0.1:7999", fromFlag.listen);
  }

  @Test
  void aMissingConfigFileSaysSo() {
    IOException e = assertThrows(IOException.class, () -> EnvironmentDefaults.load(dir.resolve("nope.properties")));
    assertEquals(true, e.getMessage().contains("does not exist"));
  }
}
