package org.openshard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.settlement.ChainLedger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code openshard contracts deploy}: puts the escrow contract (and, for tests, a mock USDC) on a chain. */
@Command(
    name = "contracts",
    mixinStandardHelpOptions = true,
    description = "The payment contracts on a chain (contracts/, protocol.md section 9).",
    subcommands = {ContractsCommand.Deploy.class})
final class ContractsCommand implements Runnable {
  @Override
  public void run() {
    System.err.println("openshard contracts: name a subcommand: deploy (see --help)");
  }

  @Command(
      name = "deploy",
      mixinStandardHelpOptions = true,
      description =
          "Deploys OpenShardEscrow for the chain's USDC (--token), or for a new mock USDC anyone can mint"
              + " (--mock-usdc: local chains, tests and demos), paying gas from --wallet-key.",
      footer = {
        "",
        "Prints 'DEPLOYED escrow 0x<escrow> token 0x<token> chain-id <N> challenge-window <seconds>' and",
        "exits 0; 1 if the chain refused or could not be reached; 2 on bad options. Sellers and buyers",
        "then take --chain-rpc URL --escrow 0x<escrow> [--chain-id N].",
        "",
        "Example (anvil on 127.0.0.1:8545):",
        "  ./openshard contracts deploy --chain-rpc http://127.0.0.1:8545 --wallet-key deployer.wallet --mock-usdc",
      })
  static final class Deploy implements Callable<Integer> {
    @Option(names = "--chain-rpc", required = true, description = "JSON-RPC URL of the chain.")
    String chainRpc;

    @Option(names = "--chain-id", description = "Expected chain id (checked against the node before anything is sent).")
    Long chainId;

    @Option(names = "--wallet-key", required = true, description = "Key file (64 hex, mode 0600) of the wallet paying gas.")
    Path walletKey;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenChoice token;

    static final class TokenChoice {
      @Option(names = "--token", description = "The chain's USDC contract 0x… (6 decimals).")
      String address;

      @Option(names = "--mock-usdc", description = "Deploy a mock USDC too (anyone can mint it: never on a real chain).")
      boolean mock;
    }

    @Option(
        names = "--challenge-window",
        description = "Time after a channel's expiry during which the payee may still claim (default: ${DEFAULT-VALUE}).",
        defaultValue = "24h",
        converter = DurationConverter.class)
    Duration challengeWindow;

    @Option(
        names = "--min-anchor-backing",
        description = "USDC a channel must still hold to back a buyer's anchor (default: ${DEFAULT-VALUE}).",
        defaultValue = "1.00")
    String minAnchorBacking;

    @Override
    public Integer call() {
      WalletKey deployer;
      EthAddress tokenAddress;
      Usdc backing;
      try {
        if (challengeWindow.isNegative() || challengeWindow.toSeconds() < 1) {
          throw new IllegalArgumentException("--challenge-window must be at least 1s");
        }
        backing = Usdc.parse(minAnchorBacking);
        tokenAddress = token.mock ? null : EthAddress.parse(token.address.trim(), "--token");
        deployer = WalletKeyFile.read(walletKey);
      } catch (IllegalArgumentException | IOException | PaymentException e) {
        System.err.println("openshard contracts deploy: " + e.getMessage());
        return 2;
      }
      if (chainId != null) {
        try {
          LedgerOptions.requireChainId(chainId, ChainLedger.chainIdAt(chainRpc.trim()));
        } catch (IllegalArgumentException e) {
          System.err.println("openshard contracts deploy: " + e.getMessage());
          return 2;
        } catch (PaymentException e) {
          System.err.println("openshard contracts deploy: " + e.getMessage());
          return 1;
        }
      }
      try (ChainLedger deployed =
          ChainLedger.deploy(chainRpc.trim(), deployer, tokenAddress, challengeWindow.toSeconds(), backing)) {
        System.out.println(
            "DEPLOYED escrow " + deployed.escrowContract().hex() + " token " + deployed.token().hex() + " chain-id "
                + deployed.chainId() + " challenge-window " + deployed.challengeWindowSeconds());
        return 0;
      } catch (PaymentException e) {
        System.err.println("openshard contracts deploy: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
        return 1;
      }
    }
  }
}
