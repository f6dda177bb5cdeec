package org.openshard.payments.settlement;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A {@link Ledger} on a real chain: the {@code OpenShardEscrow} contract and its ERC-20 over web3j
 * JSON-RPC. Every state-changing call is first simulated with {@code eth_call} so a revert maps to a
 * typed {@link PaymentException} (the contract's custom errors), then sent as an EIP-155 signed
 * transaction and awaited until it is mined. Calls are serialized (one nonce stream per process).
 */
public final class ChainLedger implements Ledger {
  private static final BigInteger CALL_GAS = BigInteger.valueOf(400_000);
  private static final BigInteger DEPLOY_GAS = BigInteger.valueOf(5_000_000);
  private static final long RECEIPT_TIMEOUT_MS = 60_000;
  private static final Map<String, Reason> ERRORS = Map.ofEntries(
      Map.entry(selector("ChannelExists()"), Reason.LEDGER_FAILED),
      Map.entry(selector("UnknownChannel()"), Reason.UNKNOWN_CHANNEL),
      Map.entry(selector("InvalidArgument()"), Reason.LEDGER_FAILED),
      Map.entry(selector("NotPayer()"), Reason.LEDGER_FAILED),
      Map.entry(selector("ChannelClosed()"), Reason.CHANNEL_CLOSED),
      Map.entry(selector("ChannelExpired()"), Reason.CHANNEL_EXPIRED),
      Map.entry(selector("ClaimWindowOver()"), Reason.CHANNEL_EXPIRED),
      Map.entry(selector("NotYetWithdrawable()"), Reason.LEDGER_FAILED),
      Map.entry(selector("BadSignature()"), Reason.BAD_SIGNATURE),
      Map.entry(selector("StaleVoucher()"), Reason.STALE_VOUCHER),
      Map.entry(selector("NothingToClaim()"), Reason.STALE_VOUCHER),
      Map.entry(selector("TransferFailed()"), Reason.CANNOT_PAY));

  private final Web3j web3;
  private final long chainId;
  private final EthAddress escrow;
  private final EthAddress token;
  private final long challengeWindow;

  private ChainLedger(Web3j web3, long chainId, EthAddress escrow, EthAddress token, long challengeWindow) {
    this.web3 = web3;
    this.chainId = chainId;
    this.escrow = escrow;
    this.token = token;
    this.challengeWindow = challengeWindow;
  }

  /** Connects to a deployed escrow; reads the chain id, token and challenge window from the chain. */
  public static ChainLedger connect(String rpcUrl, EthAddress escrow) throws PaymentException {
    Web3j w = Web3j.build(new HttpService(rpcUrl));
    try {
      long chainId = w.ethChainId().send().getChainId().longValueExact();
      ChainLedger probe = new ChainLedger(w, chainId, escrow, EthAddress.ZERO, 0);
      EthAddress token = EthAddress.of(((Address) probe.call(escrow, fn("token", List.of(), List.of(new TypeReference<Address>() {}))).get(0)).getValue());
      long window = ((Uint64) probe.call(escrow, fn("challengeWindow", List.of(), List.of(new TypeReference<Uint64>() {}))).get(0))
          .getValue().longValueExact();
      return new ChainLedger(w, chainId, escrow, token, window);
    } catch (IOException | RuntimeException e) {
      w.shutdown();
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "cannot reach the chain RPC", e);
    }
  }

  /**
   * Deploys a MockUsdc (name "USD Coin") and an escrow on a local chain (anvil) with {@code deployer}
   * paying gas. For tests and demos only: real deployments use the chain's USDC.
   */
  public static ChainLedger deployLocal(String rpcUrl, WalletKey deployer, long challengeWindowSeconds, Usdc minAnchorBacking)
      throws PaymentException {
    return deploy(rpcUrl, deployer, null, challengeWindowSeconds, minAnchorBacking);
  }

  /** The chain id the node at {@code rpcUrl} reports. */
  public static long chainIdAt(String rpcUrl) throws PaymentException {
    Web3j w = Web3j.build(new HttpService(rpcUrl));
    try {
      return w.ethChainId().send().getChainId().longValueExact();
    } catch (IOException | RuntimeException e) {
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "cannot reach the chain RPC", e);
    } finally {
      w.shutdown();
    }
  }

  /**
   * Deploys an escrow for {@code token} (the chain's USDC), or for a new MockUsdc if {@code token}
   * is null (tests and demos: anyone can mint the mock), with {@code deployer}
   * paying gas.
   */
  public static ChainLedger deploy(String rpcUrl, WalletKey deployer, EthAddress token, long challengeWindowSeconds,
      Usdc minAnchorBacking) throws PaymentException {
    if (challengeWindowSeconds <= 0) {
      throw new IllegalArgumentException("the challenge window must be positive");
    }
    Web3j w = Web3j.build(new HttpService(rpcUrl));
    try {
      long chainId = w.ethChainId().send().getChainId().longValueExact();
      ChainLedger tmp = new ChainLedger(w, chainId, EthAddress.ZERO, EthAddress.ZERO, challengeWindowSeconds);
      EthAddress t = token != null ? token : tmp.deploy(deployer, ContractArtifacts.bin(ContractArtifacts.MOCK_USDC),
          FunctionEncoder.encodeConstructor(List.of(new Utf8String("USD Coin"))));
      EthAddress escrow = tmp.deploy(deployer, ContractArtifacts.bin(ContractArtifacts.ESCROW),
          FunctionEncoder.encodeConstructor(List.of(new Address(t.hex()), new Uint64(challengeWindowSeconds),
              new Uint256(minAnchorBacking.toBigInteger()))));
      return new ChainLedger(w, chainId, escrow, t, challengeWindowSeconds);
    } catch (IOException | RuntimeException e) {
      w.shutdown();
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "cannot deploy the contracts", e);
    }
  }

  @Override
  public long chainId() {
    return chainId;
  }

  @Override
  public EthAddress escrowContract() {
    return escrow;
  }

  @Override
  public EthAddress token() {
    return token;
  }

  @Override
  public long challengeWindowSeconds() {
    return challengeWindow;
  }

  /** The web3j client (tests use it for anvil's evm_* methods). */
  public Web3j web3() {
    return web3;
  }

  @Override
  public long nowUnix() throws PaymentException {
    try {
      return web3.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact();
    } catch (IOException | RuntimeException e) {
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "cannot read the latest block", e);
    }
  }

  /** MockUsdc only: mints test funds. */
  public synchronized void mintMock(WalletKey sender, EthAddress to, Usdc amount) throws PaymentException {
    transact(sender, token, fn("mint", List.of(new Address(to.hex()), new Uint256(amount.toBigInteger())), List.of()));
  }

  @Override
  public synchronized Usdc balanceOf(EthAddress owner) throws PaymentException {
    List<Type> out = call(token, fn("balanceOf", List.of(new Address(owner.hex())), List.of(new TypeReference<Uint256>() {})));
    return Usdc.fromBigInteger(((Uint256) out.get(0)).getValue(), "balance");
  }

  @Override
  public synchronized Optional<LedgerChannel> channel(ChannelId id) throws PaymentException {
    List<Type> o = call(escrow, fn("getChannel", List.of(new Bytes32(id.toBytes())), List.of(
        new TypeReference<Address>() {}, new TypeReference<Address>() {}, new TypeReference<Address>() {},
        new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}, new TypeReference<Uint64>() {},
        new TypeReference<Uint256>() {}, new TypeReference<Bool>() {})));
    EthAddress payer = EthAddress.of(((Address) o.get(0)).getValue());
    if (payer.isZero()) {
      return Optional.empty();
    }
    BigInteger lastSeq = ((Uint256) o.get(6)).getValue();
    return Optional.of(new LedgerChannel(id, payer,
        EthAddress.of(((Address) o.get(1)).getValue()),
        EthAddress.of(((Address) o.get(2)).getValue()),
        Usdc.fromBigInteger(((Uint256) o.get(3)).getValue(), "deposit"),
        Usdc.fromBigInteger(((Uint256) o.get(4)).getValue(), "claimed"),
        ((Uint64) o.get(5)).getValue().longValueExact(),
        lastSeq.bitLength() < 63 ? lastSeq.longValue() : Long.MAX_VALUE,
        ((Bool) o.get(7)).getValue()));
  }

  @Override
  public synchronized LedgerChannel open(WalletKey payer, ChannelOpenMessage open) throws PaymentException {
    approve(payer, open.maxAmount());
    transact(payer, escrow, fn("open", List.of(new Bytes32(open.channelId().toBytes()), new Address(open.signer().hex()),
        new Address(open.payee().hex()), new Uint256(open.maxAmount().toBigInteger()), new Uint64(open.expiryUnix())), List.of()));
    return channel(open.channelId()).orElseThrow(() ->
        new PaymentException(Reason.LEDGER_FAILED, "chain", "channel missing after open"));
  }

  @Override
  public synchronized LedgerChannel topUp(WalletKey payer, ChannelId id, Usdc amount, long newExpiryUnix) throws PaymentException {
    approve(payer, amount);
    transact(payer, escrow, fn("topUp", List.of(new Bytes32(id.toBytes()), new Uint256(amount.toBigInteger()),
        new Uint64(newExpiryUnix)), List.of()));
    return channel(id).orElseThrow(() -> new PaymentException(Reason.LEDGER_FAILED, "chain", "channel missing after top-up"));
  }

  @Override
  public synchronized Usdc claim(WalletKey submitter, SignedVoucher voucher) throws PaymentException {
    ChannelId id = voucher.message().channelId();
    Usdc before = channel(id).map(LedgerChannel::claimed).orElse(Usdc.ZERO);
    transact(submitter, escrow, fn("claim", List.of(
        new Bytes32(id.toBytes()),
        new Uint256(voucher.message().cumulativeAmount().toBigInteger()),
        new Uint256(BigInteger.valueOf(voucher.message().sequence())),
        new Bytes32(voucher.message().usageDigest().toBytes()),
        new DynamicBytes(voucher.signature().toBytes())), List.of()));
    Usdc after = channel(id).map(LedgerChannel::claimed).orElse(Usdc.ZERO);
    return after.saturatingMinus(before);
  }

  @Override
  public synchronized Usdc withdraw(WalletKey payer, ChannelId id) throws PaymentException {
    LedgerChannel c = channel(id).orElseThrow(() -> new PaymentException(Reason.UNKNOWN_CHANNEL, "channel_id", "no such channel"));
    transact(payer, escrow, fn("withdraw", List.of(new Bytes32(id.toBytes())), List.of()));
    return c.deposit().minus(c.claimed());
  }

  /**
   * Optional anchor backing: binds an enrolled credential anchor (its 32-byte hash) to a funded
   * channel of {@code payer}. This links the anchor to the wallet on-chain (docs/security.md 7).
   */
  public synchronized void backAnchor(WalletKey payer, org.openshard.payments.Bytes32 anchorHash, ChannelId id)
      throws PaymentException {
    transact(payer, escrow, fn("backAnchor", List.of(new Bytes32(anchorHash.toBytes()), new Bytes32(id.toBytes())), List.of()));
  }

  /** Whether the anchor is bound to an open, unexpired channel holding at least the minimum backing. */
  public synchronized boolean isAnchorBacked(org.openshard.payments.Bytes32 anchorHash) throws PaymentException {
    return ((Bool) call(escrow, fn("isAnchorBacked", List.of(new Bytes32(anchorHash.toBytes())),
        List.of(new TypeReference<Bool>() {}))).get(0)).getValue();
  }

  @Override
  public void close() {
    web3.shutdown();
  }

  private void approve(WalletKey owner, Usdc amount) throws PaymentException {
    transact(owner, token, fn("approve", List.of(new Address(escrow.hex()), new Uint256(amount.toBigInteger())),
        List.of(new TypeReference<Bool>() {})));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Function fn(String name, List<? extends Type> in, List<TypeReference<?>> out) {
    return new Function(name, (List<Type>) (List) in, (List) out);
  }

  @SuppressWarnings("rawtypes")
  private List<Type> call(EthAddress to, Function f) throws PaymentException {
    try {
      EthCall r = web3.ethCall(Transaction.createEthCallTransaction(EthAddress.ZERO.hex(), to.hex(), FunctionEncoder.encode(f)),
          DefaultBlockParameterName.LATEST).send();
      if (r.hasError() || r.isReverted()) {
        throw revert(r.getError(), "call " + f.getName());
      }
      return FunctionReturnDecoder.decode(r.getValue(), f.getOutputParameters());
    } catch (IOException e) {
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "chain RPC failed", e);
    }
  }

  private void transact(WalletKey sender, EthAddress to, Function f) throws PaymentException {
    String data = FunctionEncoder.encode(f);
    String from = sender.address().hex();
    try {
      EthCall sim = web3.ethCall(Transaction.createEthCallTransaction(from, to.hex(), data), DefaultBlockParameterName.LATEST).send();
      if (sim.hasError() || sim.isReverted()) {
        throw revert(sim.getError(), f.getName());
      }
      send(sender, RawTransaction.createTransaction(nonce(from), gasPrice(), CALL_GAS, to.hex(), BigInteger.ZERO, data), f.getName());
    } catch (IOException e) {
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", "chain RPC failed", e);
    }
  }

  private EthAddress deploy(WalletKey deployer, String bin, String ctorArgs) throws IOException, PaymentException {
    TransactionReceipt r = send(deployer, RawTransaction.createContractTransaction(nonce(deployer.address().hex()), gasPrice(),
        DEPLOY_GAS, BigInteger.ZERO, "0x" + bin + ctorArgs), "deploy");
    return EthAddress.of(r.getContractAddress());
  }

  private TransactionReceipt send(WalletKey sender, RawTransaction tx, String what) throws IOException, PaymentException {
    Credentials cred = Credentials.create(ECKeyPair.create(sender.privateKey().scalar()));
    String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, cred));
    EthSendTransaction sent = web3.ethSendRawTransaction(signed).send();
    if (sent.hasError()) {
      throw new PaymentException(Reason.LEDGER_FAILED, "chain", what + " was refused: " + sent.getError().getMessage());
    }
    long deadline = System.currentTimeMillis() + RECEIPT_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      Optional<TransactionReceipt> r = web3.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();
      if (r.isPresent()) {
        if (!r.get().isStatusOK()) {
          throw new PaymentException(Reason.LEDGER_FAILED, "chain", what + " reverted on-chain");
        }
        return r.get();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PaymentException(Reason.LEDGER_FAILED, "chain", "interrupted while waiting for " + what);
      }
    }
    throw new PaymentException(Reason.LEDGER_FAILED, "chain", what + " was not mined in time");
  }

  private BigInteger nonce(String from) throws IOException {
    return web3.ethGetTransactionCount(from, DefaultBlockParameterName.PENDING).send().getTransactionCount();
  }

  private BigInteger gasPrice() throws IOException {
    return web3.ethGasPrice().send().getGasPrice();
  }

  private static PaymentException revert(Response.Error err, String what) {
    String data = err == null || err.getData() == null ? "" : err.getData().toLowerCase(Locale.ROOT).replace("\"", "");
    String sel = data.length() >= 10 ? data.substring(0, 10) : data;
    Reason reason = ERRORS.get(sel);
    if (reason == null) {
      String msg = err == null ? "" : String.valueOf(err.getMessage()).toLowerCase(Locale.ROOT);
      reason = msg.contains("balance") || msg.contains("allowance") ? Reason.CANNOT_PAY : Reason.LEDGER_FAILED;
    }
    return new PaymentException(reason, "chain", what + " reverted (" + (sel.isEmpty() ? "no data" : sel) + ")");
  }

  static String selector(String signature) {
    return "0x" + Bytes.hex(Arrays.copyOf(Hashes.keccak256(signature.getBytes(java.nio.charset.StandardCharsets.UTF_8)), 4));
  }
}
