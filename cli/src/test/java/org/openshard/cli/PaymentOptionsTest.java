package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.seller.keys.SellerKeyFile;

class PaymentOptionsTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    return InProcessCli.run(args);
  }

  @Test
  void helpDocumentsThePaymentOptions() {
    String[] seller = run("seller", "--help");
    assertEquals("0", seller[0]);
    for (String opt : new String[] {"--ledger", "--chain-rpc", "--escrow", "--chain-id", "--payee", "--channel-store"}) {
      assertTrue(seller[1].contains(opt), opt);
    }
    assertTrue(seller[1].contains("PAYMENT_UNSUPPORTED"), seller[1]);
    String[] buyer = run("buyer", "--help");
    assertEquals("0", buyer[0]);
    for (String opt : new String[] {"--ledger", "--chain-rpc", "--wallet-key", "--channels", "--channel-deposit"}) {
      assertTrue(buyer[1].contains(opt), opt);
    }
    assertTrue(buyer[1].contains("demo only"), buyer[1]);
  }

  @Test
  void badPaymentValuesAreRejectedBeforeStarting() throws Exception {
    String[] deposit = run("buyer", "--registry", "127.0.0.1:1", "--credential", dir.resolve("c").toString(),
        "--ledger", "file:" + dir.resolve("l"), "--channel-deposit", "five");
    assertEquals("2", deposit[0]);
    String[] ledger = run("buyer", "--registry", "127.0.0.1:1", "--credential", dir.resolve("c").toString(), "--ledger", "memory");
    assertEquals("2", ledger[0]);
    assertTrue(ledger[2].contains("--ledger"), ledger[2]);
    String[] noEscrow = run("buyer", "--registry", "127.0.0.1:1", "--credential", dir.resolve("c").toString(),
        "--chain-rpc", "http://127.0.0.1:1");
    assertEquals("2", noEscrow[0]);
    assertTrue(noEscrow[2].contains("--escrow"), noEscrow[2]);

    Path key = dir.resolve("k");
    SellerKeyFile.generate().write(key, false);
    String[] base = {"seller", "--registry", "127.0.0.1:1", "--upstream", "http://127.0.0.1:1/v1", "--key", key.toString(),
        "--offering", "id=a,service=s,model=m,in=10,out=20", "--replay-store", "file:" + dir.resolve("r")};
    String[] badStore = run(concat(base, "--ledger", "file:" + dir.resolve("l2"), "--channel-store", "memory"));
    assertEquals("2", badStore[0]);
    assertTrue(badStore[2].contains("--channel-store"), badStore[2]);
    String[] payeeAlone = run(concat(base, "--payee", "0x" + "11".repeat(20)));
    assertEquals("2", payeeAlone[0]);
    assertTrue(payeeAlone[2].contains("--payee"), payeeAlone[2]);
  }

  @Test
  void autoSettleOptionsAreDocumentedAndNeedALedgerAndAWallet() throws Exception {
    String[] help = run("seller", "--help");
    for (String opt : new String[] {"--settle-wallet-key", "--settle-every", "--settle-min", "--settle-margin"}) {
      assertTrue(help[1].contains(opt), opt);
    }
    Path key = dir.resolve("k");
    SellerKeyFile.generate().write(key, false);
    String[] base = {"seller", "--registry", "127.0.0.1:1", "--upstream", "http://127.0.0.1:1/v1", "--key", key.toString(),
        "--offering", "id=a,service=s,model=m,in=10,out=20", "--replay-store", "file:" + dir.resolve("r")};
    Path wallet = dir.resolve("w");
    WalletKeyFile.create(wallet);
    String[] noLedger = run(concat(base, "--settle-wallet-key", wallet.toString()));
    assertEquals("2", noLedger[0]);
    assertTrue(noLedger[2].contains("--settle-wallet-key needs --ledger or --chain-rpc"), noLedger[2]);
    String[] missingWallet = run(concat(base, "--ledger", "file:" + dir.resolve("l"), "--channel-store", "file:" + dir.resolve("c"),
        "--settle-wallet-key", dir.resolve("absent").toString()));
    assertEquals("2", missingWallet[0]);
    String[] badMin = run(concat(base, "--ledger", "file:" + dir.resolve("l"), "--channel-store", "file:" + dir.resolve("c"),
        "--settle-wallet-key", wallet.toString(), "--settle-min", "a lot"));
    assertEquals("2", badMin[0]);
    assertTrue(badMin[2].contains("payments"), badMin[2]);
  }

  @Test
  void contractsDeployIsDocumentedAndRejectsBadOptionsBeforeTouchingAChain() throws Exception {
    String[] help = run("contracts", "deploy", "--help");
    assertEquals("0", help[0]);
    for (String opt : new String[] {"--chain-rpc", "--chain-id", "--wallet-key", "--token", "--mock-usdc", "--challenge-window",
        "--min-anchor-backing"}) {
      assertTrue(help[1].contains(opt), opt);
    }
    assertTrue(run("--help")[1].contains("contracts"));
    Path wallet = dir.resolve("w");
    WalletKeyFile.create(wallet);
    String[] both = run("contracts", "deploy", "--chain-rpc", "http://127.0.0.1:1", "--wallet-key", wallet.toString(),
        "--mock-usdc", "--token", "0x" + "11".repeat(20));
    assertEquals("2", both[0], "--token and --mock-usdc are exclusive");
    String[] neither = run("contracts", "deploy", "--chain-rpc", "http://127.0.0.1:1", "--wallet-key", wallet.toString());
    assertEquals("2", neither[0]);
    String[] badToken = run("contracts", "deploy", "--chain-rpc", "http://127.0.0.1:1", "--wallet-key", wallet.toString(),
        "--token", "0x1234");
    assertEquals("2", badToken[0]);
    assertTrue(badToken[2].contains("--token"), badToken[2]);
    String[] badWindow = run("contracts", "deploy", "--chain-rpc", "http://127.0.0.1:1", "--wallet-key", wallet.toString(),
        "--mock-usdc", "--challenge-window", "0s");
    assertEquals("2", badWindow[0]);
    // A chain that cannot be reached: exit 1, nothing printed as deployed.
    String[] unreachable = run("contracts", "deploy", "--chain-rpc", "http://127.0.0.1:1", "--wallet-key", wallet.toString(),
        "--mock-usdc");
    assertEquals("1", unreachable[0]);
    assertTrue(!unreachable[1].contains("DEPLOYED"), unreachable[1]);
  }

  @Test
  void settleIsDocumentedAndRejectsBadOptionsBeforeTouchingALedger() throws Exception {
    String[] help = run("settle", "--help");
    assertEquals("0", help[0]);
    for (String opt : new String[] {"--chain-rpc", "--escrow", "--chain-id", "--channel-store", "--wallet-key", "--channel"}) {
      assertTrue(help[1].contains(opt), opt);
    }
    assertTrue(run("--help")[1].contains("settle"));
    Path wallet = dir.resolve("w");
    WalletKeyFile.create(wallet);
    String[] noLedger = run("settle", "--wallet-key", wallet.toString(), "--channel-store", "file:" + dir.resolve("s"));
    assertEquals("2", noLedger[0]);
    assertTrue(noLedger[2].contains("--chain-rpc"), noLedger[2]);
    String[] badChannel = run("settle", "--wallet-key", wallet.toString(), "--chain-rpc", "http://127.0.0.1:1",
        "--escrow", "0x" + "11".repeat(20), "--channel", "0x1234");
    assertEquals("2", badChannel[0]);
    assertTrue(badChannel[2].contains("--channel"), badChannel[2]);
    String[] noWallet = run("settle", "--wallet-key", dir.resolve("missing").toString(), "--chain-rpc", "http://127.0.0.1:1",
        "--escrow", "0x" + "11".repeat(20));
    assertEquals("2", noWallet[0]);
    String[] unreachable = run("settle", "--wallet-key", wallet.toString(), "--chain-rpc", "http://127.0.0.1:" + org.openshard.testing.Ports.free(),
        "--escrow", "0x" + "11".repeat(20));
    assertEquals("2", unreachable[0]);
    assertTrue(unreachable[2].contains("ledger"), unreachable[2]);
  }

  @Test
  void theReservationTtlMustOutliveTheUpstreamTimeout() throws Exception {
    Path key = dir.resolve("k");
    SellerKeyFile.generate().write(key, false);
    String[] r = run("seller", "--registry", "127.0.0.1:1", "--upstream", "http://127.0.0.1:1/v1", "--key", key.toString(),
        "--offering", "id=a,service=s,model=m,in=10,out=20", "--replay-store", "file:" + dir.resolve("r"),
        "--ledger", "file:" + dir.resolve("l"), "--channel-store", "file:" + dir.resolve("c"),
        "--upstream-timeout", "5m", "--reservation-ttl", "5m");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--reservation-ttl"), r[2]);
  }

  @Test
  void walletKeyFilesAreOwnerOnlyAndRoundTrip() throws Exception {
    Path f = dir.resolve("wallet");
    WalletKey k = WalletKeyFile.create(f);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    assertEquals(k.address(), WalletKeyFile.read(f).address());
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThrows(IOException.class, () -> WalletKeyFile.read(f));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
