package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.channel.ChannelRecord;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.settlement.ChainLedger;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.seller.keys.SellerKeyFile;
import org.openshard.testing.AnvilChain;
import org.openshard.testing.ChildProcess;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * Real settlement through the command line (docs/operations.md, "Payments on a chain"): a local
 * chain (anvil) with the escrow and a mock USDC, then registry, upstream-echo, a priced seller and a
 * buyer as separate processes started with {@code --chain-rpc URL --escrow ADDR --chain-id 31337}.
 * A chat completion is paid through a channel opened on chain, and {@code openshard settle} claims
 * it with the seller's highest voucher. Needs anvil ({@code cd contracts && npm ci}); fails without
 * it unless OPENSHARD_SKIP_CHAIN_TESTS=1.
 */
class ChainSettlementEndToEndTest {
  /** Output price only: the request's maximum cost (PAY-3) then equals its metered cost, see below. */
  private static final long IN = 0;
  private static final long OUT = 2_345_679;
  private static final String SERVICE = "echo-1";

  @TempDir Path dir;

  /** Contracts deployed on a fresh anvil chain; the buyer's wallet holds 20 mock USDC. */
  private record World(AnvilChain chain, EthAddress escrow, EthAddress token, Path buyerWalletFile, WalletKey buyerWallet,
      Path sellerWalletFile, WalletKey sellerWallet, EthAddress payee, List<String> chainArgs) {}

  /** Deploys through the command line ({@code openshard contracts deploy --mock-usdc}), then mints to the buyer. */
  private World deploy(AnvilChain chain, List<ChildProcess> children) throws Exception {
    Path deployerFile = dir.resolve("deployer.wallet");
    WalletKey deployer = WalletKeyFile.create(deployerFile);
    chain.fund(deployer.address().hex());
    Path buyerWalletFile = dir.resolve("buyer.wallet");
    Path sellerWalletFile = dir.resolve("seller.wallet");
    WalletKey buyerWallet = WalletKeyFile.create(buyerWalletFile);
    WalletKey sellerWallet = WalletKeyFile.create(sellerWalletFile);
    EthAddress payee = WalletKey.generate().address(); // a fresh address: its balance starts at zero

    List<String> deployArgs = new ArrayList<>(List.of("contracts", "deploy", "--chain-rpc", chain.rpcUrl,
        "--wallet-key", deployerFile.toString(), "--mock-usdc", "--challenge-window", "1h", "--min-anchor-backing", "1.00"));
    ChildProcess wrongChain = start(children, concat(deployArgs, List.of("--chain-id", "8453")));
    assertEquals(2, Children.runToExit(wrongChain, 120_000), "a chain id other than the node's is refused before any deploy");
    assertTrue(wrongChain.stderr().toString().contains("the node reports chain 31337"), wrongChain.stderr().toString());
    ChildProcess deploy = start(children, concat(deployArgs, List.of("--chain-id", "31337")));
    assertEquals(0, Children.runToExit(deploy, 120_000), deploy.stderr().toString());
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("DEPLOYED escrow (0x[0-9a-f]{40}) token (0x[0-9a-f]{40}) chain-id 31337 challenge-window 3600")
        .matcher(String.join("\n", deploy.stdout()));
    assertTrue(m.find(), deploy.stdout().toString());
    EthAddress escrow = EthAddress.of(m.group(1));
    try (ChainLedger deployed = ChainLedger.connect(chain.rpcUrl, escrow)) {
      assertEquals(m.group(2), deployed.token().hex(), "the escrow holds the deployed mock USDC");
      assertEquals(3600, deployed.challengeWindowSeconds());
      chain.fund(buyerWallet.address().hex());
      chain.fund(sellerWallet.address().hex()); // gas for the claim
      deployed.mintMock(deployer, buyerWallet.address(), Usdc.parse("20"));
      World w = new World(chain, escrow, deployed.token(), buyerWalletFile, buyerWallet, sellerWalletFile,
          sellerWallet, payee, List.of("--chain-rpc", chain.rpcUrl, "--escrow", escrow.hex(), "--chain-id", "31337"));
      assertEquals(20_000_000, balanceOf(chain, w.token, buyerWallet.address()).longValueExact());
      assertEquals(0, balanceOf(chain, w.token, payee).signum());
      return w;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Registry, echo, one seller (with {@code extraSellerArgs}) and one buyer, all on the chain. */
  private record Roles(ChildProcess registry, ChildProcess echo, ChildProcess seller, ChildProcess buyer, String gatewayTarget,
      Path channelStore) {}

  private Roles startRoles(World w, List<ChildProcess> children, List<String> extraSellerArgs) throws Exception {
    ChildProcess registry = start(children, List.of("registry", "--listen", "127.0.0.1:0", "--heartbeat-interval", "1s"));
    String registryTarget = registry.awaitListening("registry", "grpc", Children.START_MS).target();
    ChildProcess echo = start(children, List.of("upstream-echo", "--listen", "127.0.0.1:0"));
    String upstream = echo.awaitListening("upstream-echo", "http", Children.START_MS).url() + "/v1";

    Path sellerKey = dir.resolve("seller.key");
    SellerKeyFile.generate().write(sellerKey, false);
    Path channelStore = dir.resolve("seller.channels");
    List<String> sellerArgs = new ArrayList<>(List.of("seller", "--listen", "127.0.0.1:0", "--registry", registryTarget,
        "--upstream", upstream, "--key", sellerKey.toString(),
        "--offering", "id=paid,service=" + SERVICE + ",model=echo,in=" + IN + ",out=" + OUT,
        "--replay-store", "file:" + dir.resolve("seller.replay"), "--channel-store", "file:" + channelStore,
        "--payee", w.payee.hex()));
    sellerArgs.addAll(w.chainArgs);
    sellerArgs.addAll(extraSellerArgs);
    ChildProcess seller = start(children, sellerArgs);
    seller.awaitListening("seller", "grpc", Children.START_MS);

    List<String> buyerArgs = new ArrayList<>(List.of("buyer", "--listen", "127.0.0.1:0", "--registry", registryTarget,
        "--credential", dir.resolve("buyer.credential").toString(), "--ring-size", "4",
        "--wallet-key", w.buyerWalletFile.toString(), "--channel-deposit", "5.00",
        "--channels", dir.resolve("buyer.channels").toString()));
    buyerArgs.addAll(w.chainArgs);
    ChildProcess buyer = start(children, buyerArgs);
    String gatewayTarget = buyer.awaitListening("buyer", "grpc", Children.START_MS).target();
    return new Roles(registry, echo, seller, buyer, gatewayTarget, channelStore);
  }

  /** One paid chat completion through the gateway; returns what was charged (17 base units). */
  private static long payOnce(Roles r) throws Exception {
    ManagedChannel gateway = Children.channel(r.gatewayTarget);
    RequestSummary s;
    try {
      Children.awaitSellers(gateway, SERVICE, 1, 60_000);
      // The echo answers the prompt's 7 words; with max_tokens = 7 the request's maximum cost
      // (PAY-3, priced at the output rate only) equals its metered cost, so the buyer's single
      // voucher authorizes exactly what is charged and the claim can be compared to the charge.
      String prompt = "seven words paid for on chain today";
      List<ChatCompletionEvent> events = Children.chat(gateway,
          "{\"model\":\"" + SERVICE + "\",\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
      assertEquals(prompt, events.get(0).getCompletion().getContent());
      s = Children.summary(events);
    } finally {
      gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertEquals(7, s.getUsage().getCompletionTokens());
    long charged = Children.expectedCharge(s.getUsage(), IN, OUT);
    assertEquals(17, charged, "ceil(7 · 2,345,679 / 10^6)");
    assertEquals(charged, s.getAmountCharged());
    return charged;
  }

  private static void assertNoPromptInLogs(List<ChildProcess> children) {
    for (ChildProcess c : children) {
      for (String line : c.stderr()) {
        assertFalse(line.contains("seven words"), "a prompt in a log: " + line);
      }
    }
  }

  @Test
  void aPaidRequestOpensAChannelOnChainAndTheSellerClaimsExactlyWhatWasCharged() throws Exception {
    List<ChildProcess> children = new ArrayList<>();
    try (AnvilChain chain = AnvilChain.start()) {
      World w = deploy(chain, children);
      Roles roles = startRoles(w, children, List.of());
      long charged = payOnce(roles);
      EthAddress escrow = w.escrow;
      EthAddress token = w.token;

      // The channel was opened on chain by the buyer's wallet, paying the seller's payee.
      ChannelId id;
      ChannelRecord rec;
      try (FileChannelStore store = FileChannelStore.open(roles.channelStore)) {
        List<ChannelId> ids = store.channelIds();
        assertEquals(1, ids.size(), ids.toString());
        id = ids.get(0);
        rec = store.find(id).orElseThrow();
      }
      assertEquals(charged, rec.consumed().units());
      assertEquals(charged, rec.authorized().units(), "one voucher, for exactly the maximum cost = the charge");
      OnChainChannel onChain = getChannel(chain, escrow, id);
      assertEquals(w.buyerWallet.address(), onChain.payer);
      assertEquals(w.payee, onChain.payee);
      assertEquals(rec.signer(), onChain.signer, "vouchers are signed by the channel key, not the wallet");
      assertEquals(5_000_000, onChain.deposit.longValueExact());
      assertEquals(0, onChain.claimed.signum());
      assertFalse(onChain.closed);
      assertEquals(15_000_000, balanceOf(chain, token, w.buyerWallet.address()).longValueExact(), "the deposit left the wallet");
      assertEquals(5_000_000, balanceOf(chain, token, escrow).longValueExact());

      assertEquals(0, roles.seller.terminate(60_000));
      assertEquals(0, roles.buyer.terminate(60_000));
      assertEquals(0, balanceOf(chain, token, w.payee).signum(), "without --settle-wallet-key the seller never claims");

      // openshard settle claims the channel with the highest voucher; the payee gets exactly the charge.
      List<String> settleArgs = new ArrayList<>(List.of("settle", "--channel-store", "file:" + roles.channelStore,
          "--wallet-key", w.sellerWalletFile.toString()));
      settleArgs.addAll(w.chainArgs);
      ChildProcess settle = start(children, settleArgs);
      assertEquals(0, Children.runToExit(settle, 120_000), settle.stderr().toString());
      assertTrue(settle.stdout().contains("SETTLED " + id.hex0x() + " PAID " + charged), settle.stdout().toString());
      assertEquals(charged, balanceOf(chain, token, w.payee).longValueExact());
      OnChainChannel claimed = getChannel(chain, escrow, id);
      assertEquals(charged, claimed.claimed.longValueExact());
      assertEquals(rec.lastSequence(), claimed.lastSequence.longValueExact());
      assertEquals(5_000_000 - charged, balanceOf(chain, token, escrow).longValueExact());
      assertEquals(0, balanceOf(chain, token, w.sellerWallet.address()).signum(), "the gas wallet is not the payee");

      // Settling again claims nothing more.
      ChildProcess again = start(children, settleArgs);
      assertEquals(0, Children.runToExit(again, 120_000), again.stderr().toString());
      assertTrue(again.stdout().contains("SETTLED " + id.hex0x() + " ALREADY_CLAIMED 0"), again.stdout().toString());
      assertEquals(charged, balanceOf(chain, token, w.payee).longValueExact());

      assertEquals(0, roles.registry.terminate(30_000));
      assertEquals(0, roles.echo.terminate(30_000));
      assertNoPromptInLogs(children);
    } finally {
      for (ChildProcess c : children) {
        c.close();
      }
    }
  }

  @Test
  void aSellerWithASettleWalletClaimsByItselfWhileServing() throws Exception {
    List<ChildProcess> children = new ArrayList<>();
    try (AnvilChain chain = AnvilChain.start()) {
      World w = deploy(chain, children);
      Roles roles = startRoles(w, children, List.of("--settle-wallet-key", w.sellerWalletFile.toString(),
          "--settle-every", "1s", "--settle-min", "0.000010"));
      long charged = payOnce(roles);
      // No settle command: the running seller claims the channel on one of its rounds.
      long deadline = System.currentTimeMillis() + 60_000;
      while (balanceOf(chain, w.token, w.payee).longValueExact() != charged && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertEquals(charged, balanceOf(chain, w.token, w.payee).longValueExact(), "claimed by the seller itself");
      assertEquals(5_000_000 - charged, balanceOf(chain, w.token, w.escrow).longValueExact());
      // Later rounds do not claim again (the ledger already paid up to the latest voucher).
      Thread.sleep(2_500);
      assertEquals(charged, balanceOf(chain, w.token, w.payee).longValueExact());
      assertEquals(0, roles.seller.terminate(60_000));
      assertTrue(roles.seller.stderr().stream().anyMatch(l -> l.contains("settled channel") && l.contains(charged + " USDC base units")),
          roles.seller.stderr().toString());
      assertEquals(0, roles.buyer.terminate(60_000));
      assertEquals(0, roles.registry.terminate(30_000));
      assertEquals(0, roles.echo.terminate(30_000));
      assertNoPromptInLogs(children);
    } finally {
      for (ChildProcess c : children) {
        c.close();
      }
    }
  }

  private static ChildProcess start(List<ChildProcess> children, List<String> args) throws java.io.IOException {
    ChildProcess p = Children.openshard(args);
    children.add(p);
    return p;
  }

  private record OnChainChannel(EthAddress payer, EthAddress signer, EthAddress payee, BigInteger deposit, BigInteger claimed,
      BigInteger lastSequence, boolean closed) {}

  /** Reads the escrow's {@code getChannel} directly over JSON-RPC (not through ChainLedger). */
  @SuppressWarnings("rawtypes")
  private static OnChainChannel getChannel(AnvilChain chain, EthAddress escrow, ChannelId id) throws Exception {
    Function f = new Function("getChannel", List.of(new Bytes32(id.toBytes())), List.of(
        new TypeReference<Address>() {}, new TypeReference<Address>() {}, new TypeReference<Address>() {},
        new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}, new TypeReference<Uint64>() {},
        new TypeReference<Uint256>() {}, new TypeReference<Bool>() {}));
    List<Type> o = call(chain, escrow, f);
    return new OnChainChannel(EthAddress.of(((Address) o.get(0)).getValue()), EthAddress.of(((Address) o.get(1)).getValue()),
        EthAddress.of(((Address) o.get(2)).getValue()), ((Uint256) o.get(3)).getValue(), ((Uint256) o.get(4)).getValue(),
        ((Uint256) o.get(6)).getValue(), ((Bool) o.get(7)).getValue());
  }

  @SuppressWarnings("rawtypes")
  private static BigInteger balanceOf(AnvilChain chain, EthAddress token, EthAddress owner) throws Exception {
    Function f = new Function("balanceOf", List.of(new Address(owner.hex())), List.of(new TypeReference<Uint256>() {}));
    return ((Uint256) call(chain, token, f).get(0)).getValue();
  }

  @SuppressWarnings("rawtypes")
  private static List<Type> call(AnvilChain chain, EthAddress to, Function f) throws Exception {
    var r = chain.web3.ethCall(Transaction.createEthCallTransaction(null, to.hex(), FunctionEncoder.encode(f)),
        DefaultBlockParameterName.LATEST).send();
    assertFalse(r.hasError() || r.isReverted(), f.getName() + " reverted");
    return FunctionReturnDecoder.decode(r.getValue(), f.getOutputParameters());
  }
}
