package org.openshard.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.ledger.InProcessLedger;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.SharedFileLedger;
import org.openshard.payments.settlement.ChainLedger;
import picocli.CommandLine.Option;

/** Where payment channels are funded: a shared ledger file (demo) or the escrow contract on a chain. */
final class LedgerOptions {
  /** Challenge window of the file ledger, seconds. */
  static final long FILE_CHALLENGE_WINDOW = 24 * 3600L;

  @Option(
      names = "--ledger",
      description = "Demo ledger shared by the processes of one host: file:PATH (locked JSON file; no real money).")
  String ledger;

  @Option(names = "--chain-rpc", description = "JSON-RPC URL of the chain holding the escrow contract (real settlement).")
  String chainRpc;

  @Option(names = "--escrow", description = "Escrow contract address 0x… (with --chain-rpc).")
  String escrow;

  @Option(names = "--chain-id", description = "Expected chain id (with --chain-rpc; checked against the node).")
  Long chainId;

  boolean configured() {
    return (ledger != null && !ledger.isBlank()) || (chainRpc != null && !chainRpc.isBlank());
  }

  boolean isFile() {
    return ledger != null && !ledger.isBlank();
  }

  /** The ledger, or null when no ledger option was given. */
  Ledger open() throws PaymentException {
    if (isFile() && chainRpc != null && !chainRpc.isBlank()) {
      throw new IllegalArgumentException("--ledger and --chain-rpc are exclusive");
    }
    if (isFile()) {
      String s = ledger.trim();
      if (!s.toLowerCase(Locale.ROOT).startsWith("file:") || s.length() == "file:".length()) {
        throw new IllegalArgumentException("--ledger must be file:PATH, was '" + ledger + "'");
      }
      return SharedFileLedger.open(Path.of(s.substring("file:".length())), Clock.systemUTC(), FILE_CHALLENGE_WINDOW);
    }
    if (chainRpc != null && !chainRpc.isBlank()) {
      if (escrow == null || escrow.isBlank()) {
        throw new IllegalArgumentException("--chain-rpc needs --escrow 0x…");
      }
      ChainLedger chain = ChainLedger.connect(chainRpc.trim(), EthAddress.parse(escrow.trim(), "--escrow"));
      try {
        requireChainId(chainId, chain.chainId());
      } catch (IllegalArgumentException e) {
        chain.close();
        throw e;
      }
      return chain;
    }
    return null;
  }

  /** Refuses a node whose chain is not the {@code --chain-id} asked for (null: any). */
  static void requireChainId(Long expected, long actual) {
    if (expected != null && expected != actual) {
      throw new IllegalArgumentException("--chain-id " + expected + " but the node reports chain " + actual);
    }
  }

  static boolean isDemo(Ledger l) {
    return l instanceof SharedFileLedger || l instanceof InProcessLedger;
  }
}
