package org.openshard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code openshard <command>}: the single entry point of the shaded jar and the ./openshard launcher. */
@Command(
    name = "openshard",
    mixinStandardHelpOptions = true,
    version = "openshard 0.1.0",
    description = "OpenShard: a peer-to-peer market for private AI inference.%n",
    subcommands = {
      KeysCommand.class,
      RegistryCommand.class,
      SellerCommand.class,
      UpstreamEchoCommand.class,
      BridgeCommand.class,
      BuyerCommand.class,
      DemoCommand.class,
      SettleCommand.class,
      ContractsCommand.class,
      ProtoDescriptorCommand.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Server commands print one line 'LISTENING <role> <scheme>://<host>:<port>' per",
      "listener once it accepts connections, bind loopback by default, and exit 0 on SIGTERM.",
      "Every option can also be set with an OPENSHARD_<OPTION> environment variable",
      "(e.g. --listen -> OPENSHARD_LISTEN) or in a properties file given with",
      "--config FILE (or OPENSHARD_CONFIG): 'seller.listen = 127.0.0.1:7100' for one",
      "command, 'registry = 127.0.0.1:7000' for all. Flags win over the environment,",
      "which wins over the file.",
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
    String configFile = System.getenv("OPENSHARD_CONFIG");
    int i = rest.indexOf("--config");
    if (i >= 0) {
      if (i + 1 >= rest.size()) {
        System.err.println("openshard: --config needs a file, e.g. --config openshard.properties");
        System.exit(2);
      }
      configFile = rest.get(i + 1);
      rest.remove(i + 1);
      rest.remove(i);
    }
    java.util.Properties config = new java.util.Properties();
    if (configFile != null && !configFile.isBlank()) {
      try {
        config = EnvironmentDefaults.load(java.nio.file.Path.of(configFile));
      } catch (java.io.IOException e) {
        System.err.println("openshard: " + e.getMessage() + "; fix it or drop --config / OPENSHARD_CONFIG");
        System.exit(2);
      }
    }
    System.exit(commandLine(new EnvironmentDefaults(System.getenv(), config)).execute(rest.toArray(new String[0])));
  }

  /** The configured command line (also used by tests). */
  public static CommandLine commandLine() {
    return commandLine(new EnvironmentDefaults());
  }

  static CommandLine commandLine(CommandLine.IDefaultValueProvider defaults) {
    CommandLine cl = new CommandLine(new Main());
    cl.setDefaultValueProvider(defaults);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
