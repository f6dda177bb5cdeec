package org.openshard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.channel.ChannelStore;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.settlement.SellerSettlement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "settle",
    mixinStandardHelpOptions = true,
    description =
        "Claims a seller's payment channels on the ledger with the highest voucher each holds (protocol.md"
            + " 9.3): reads the seller's --channel-store, submits one claim per channel paid by --wallet-key"
            + " (gas only; the escrow pays the channel's payee). Safe to repeat and to run while the seller"
            + " serves: a channel already claimed up to its latest voucher is reported, not claimed again.",
    footer = {
      "",
      "Prints one line per channel: 'SETTLED 0x<channel> PAID <base units>', 'SETTLED 0x<channel>",
      "ALREADY_CLAIMED 0', 'SETTLED 0x<channel> NO_VOUCHER 0' or 'FAILED 0x<channel> <REASON>'. Exits 0 when",
      "no claim failed, 1 otherwise (LEDGER_FAILED is transient: run it again), 2 on bad options.",
      "",
      "Example:",
      "  ./openshard settle --chain-rpc http://127.0.0.1:8545 --escrow 0x… --chain-id 31337 \\",
      "      --channel-store file:seller.channels --wallet-key seller.wallet",
    })
final class SettleCommand implements Callable<Integer> {
  @Mixin LedgerOptions ledgerOptions = new LedgerOptions();

  @Option(
      names = "--channel-store",
      description = "The seller's channel state: file:DIR or redis://HOST:PORT (default: ${DEFAULT-VALUE}).",
      defaultValue = "file:seller.channels")
  String channelStore;

  @Option(names = "--wallet-key", required = true, description = "Key file (64 hex, mode 0600) of the wallet paying the claims' gas.")
  Path walletKey;

  @Option(names = "--channel", description = "Claim only this channel, 0x + 64 hex (repeatable; default: every channel in the store).")
  List<String> channels = new ArrayList<>();

  @Override
  public Integer call() {
    WalletKey wallet;
    List<ChannelId> only = new ArrayList<>();
    try {
      for (String c : channels) {
        String hex = c.trim().startsWith("0x") ? c.trim().substring(2) : c.trim();
        if (!hex.matches("[0-9a-fA-F]{64}")) {
          throw new IllegalArgumentException("--channel must be 0x + 64 hex characters, was '" + c + "'");
        }
        only.add(ChannelId.fromHex(hex));
      }
      if (!ledgerOptions.configured()) {
        throw new IllegalArgumentException("settle needs --chain-rpc URL --escrow 0x… (or --ledger file:PATH)");
      }
      wallet = WalletKeyFile.read(walletKey);
    } catch (IllegalArgumentException | IOException | PaymentException e) {
      System.err.println("openshard settle: " + e.getMessage());
      return 2;
    }
    Ledger ledger;
    ChannelStore store;
    try {
      ledger = ledgerOptions.open();
    } catch (IllegalArgumentException | PaymentException e) {
      System.err.println("openshard settle: ledger: " + e.getMessage());
      return 2;
    }
    try {
      store = SellerCommand.openChannelStore(channelStore);
    } catch (IllegalArgumentException | PaymentException e) {
      ledger.close();
      System.err.println("openshard settle: --channel-store: " + e.getMessage());
      return 2;
    }
    try {
      List<ChannelId> ids = only.isEmpty() ? store.channelIds() : only;
      SellerSettlement settlement = new SellerSettlement(store, ledger, wallet);
      int failed = 0;
      for (ChannelId id : ids) {
        try {
          SellerSettlement.ClaimResult r = settlement.claimHighest(id);
          System.out.println("SETTLED " + id.hex0x() + " " + r.outcome() + " " + r.paid().units());
        } catch (PaymentException e) {
          failed++;
          System.out.println("FAILED " + id.hex0x() + " " + e.reason());
          System.err.println("openshard settle: channel " + id.hex0x() + ": " + e.getMessage());
        }
      }
      return failed == 0 ? 0 : 1;
    } catch (PaymentException e) {
      System.err.println("openshard settle: " + e.getMessage());
      return 1;
    } finally {
      store.close();
      ledger.close();
    }
  }
}
