package org.openshard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Defaults from the environment: option {@code --foo-bar} reads {@code OPENSHARD_FOO_BAR}. */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec)) {
      return null;
    }
    String longest = ((OptionSpec) arg).longestName();
    if (!longest.startsWith("--")) {
      return null;
    }
    String env = "OPENSHARD_" + longest.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    String v = System.getenv(env);
    return v != null ? v : arg.defaultValue();
  }
}
