package org.openshard.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults, in this order (the first that is set wins, after the command line itself):
 *
 * <ol>
 *   <li>the environment: option {@code --foo-bar} reads {@code OPENSHARD_FOO_BAR};
 *   <li>the config file ({@code --config FILE} or {@code OPENSHARD_CONFIG}), a Java properties
 *       file: {@code <command>.foo-bar = value} for one command, or {@code foo-bar = value} for
 *       every command that has the option;
 *   <li>the option's built-in default.
 * </ol>
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties config;

  EnvironmentDefaults(Map<String, String> env, Properties config) {
    this.env = env;
    this.config = config;
  }

  EnvironmentDefaults() {
    this(System.getenv(), new Properties());
  }

  /** Reads a config file; the message says what to fix. */
  static Properties load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("config file " + file + " does not exist");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IllegalArgumentException e) {
      throw new IOException("config file " + file + " is not a valid properties file: " + e.getMessage());
    }
    return p;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec)) {
      return null;
    }
    String longest = ((OptionSpec) arg).longestName();
    if (!longest.startsWith("--")) {
      return null;
    }
    String name = longest.substring(2);
    String v = env.get("OPENSHARD_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
    if (v != null) {
      return v;
    }
    CommandLine.Model.CommandSpec cmd = arg.command();
    if (cmd != null) {
      v = config.getProperty(cmd.name() + "." + name);
      if (v != null) {
        return v.trim();
      }
    }
    v = config.getProperty(name);
    return v != null ? v.trim() : arg.defaultValue();
  }
}
