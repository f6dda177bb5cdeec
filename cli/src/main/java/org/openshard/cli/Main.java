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
      ProtoDescriptorCommand.class,
      CommandLine.HelpCommand.class,
    },
    footer = {
      "",
      "Server commands print one line 'LISTENING <role> <scheme>://<host>:<port>' per",
      "listener once it accepts connections, bind loopback by default, and exit 0 on SIGTERM.",
      "Every option can also be set with an OPENSHARD_<OPTION> environment variable",
      "(e.g. --listen -> OPENSHARD_LISTEN).",
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by tests). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setDefaultValueProvider(new EnvironmentDefaults());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
