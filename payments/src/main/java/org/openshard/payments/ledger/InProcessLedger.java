package org.openshard.payments.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.openshard.payments.AtomicFiles;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * The default ledger: token balances, channels and claims kept in memory and (optionally) in a JSON
 * file rewritten atomically after every change, so a demo needs no chain. It enforces the escrow
 * contract's rules (see {@code contracts/src/OpenShardEscrow.sol}), including the voucher signature
 * check and the payout cap min(cumulative, deposit). Thread-safe.
 */
public final class InProcessLedger implements Ledger {
  /** The chain id used for in-process ledgers (a local-chain id, never a real network's). */
  public static final long DEFAULT_CHAIN_ID = 1337;
  public static final EthAddress DEFAULT_ESCROW = EthAddress.of("0x00000000000000000000000000000000005e5c70");
  public static final EthAddress DEFAULT_TOKEN = EthAddress.of("0x0000000000000000000000000000000000005dc0");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final long chainId;
  private final EthAddress escrow;
  private final EthAddress token;
  private final long challengeWindow;
  private final Clock clock;
  private final Path file;
  private final Map<EthAddress, Usdc> balances = new HashMap<>();
  private final Map<ChannelId, LedgerChannel> channels = new LinkedHashMap<>();

  private InProcessLedger(long chainId, EthAddress escrow, EthAddress token, long challengeWindow, Clock clock, Path file) {
    this.chainId = chainId;
    this.escrow = escrow;
    this.token = token;
    this.challengeWindow = challengeWindow;
    this.clock = clock;
    this.file = file;
  }

  /** A memory-only ledger. */
  public static InProcessLedger inMemory(Clock clock, long challengeWindowSeconds) {
    return new InProcessLedger(DEFAULT_CHAIN_ID, DEFAULT_ESCROW, DEFAULT_TOKEN, challengeWindowSeconds, clock, null);
  }

  /** A ledger persisted to {@code file} (loaded if it exists). */
  public static InProcessLedger open(Path file, Clock clock, long challengeWindowSeconds) throws PaymentException {
    InProcessLedger l = new InProcessLedger(DEFAULT_CHAIN_ID, DEFAULT_ESCROW, DEFAULT_TOKEN, challengeWindowSeconds, clock, file);
    l.load();
    return l;
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

  @Override
  public long nowUnix() {
    return clock.instant().getEpochSecond();
  }

  /** Credits test/demo funds to an address (the in-process stand-in for buying USDC). */
  public synchronized void mint(EthAddress to, Usdc amount) throws PaymentException {
    balances.put(to, add(balance(to), amount));
    save();
  }

  @Override
  public synchronized Usdc balanceOf(EthAddress owner) {
    return balance(owner);
  }

  @Override
  public synchronized Optional<LedgerChannel> channel(ChannelId id) {
    return Optional.ofNullable(channels.get(id));
  }

  @Override
  public synchronized LedgerChannel open(WalletKey payer, ChannelOpenMessage open) throws PaymentException {
    if (channels.containsKey(open.channelId())) {
      throw new PaymentException(Reason.LEDGER_FAILED, "channel_id", "channel already exists");
    }
    if (open.signer().isZero() || open.payee().isZero() || open.maxAmount().isZero() || open.expiryUnix() <= nowUnix()) {
      throw new PaymentException(Reason.LEDGER_FAILED, "open", "invalid channel parameters");
    }
    debit(payer.address(), open.maxAmount());
    LedgerChannel c = new LedgerChannel(open.channelId(), payer.address(), open.signer(), open.payee(),
        open.maxAmount(), Usdc.ZERO, open.expiryUnix(), 0, false);
    channels.put(c.id(), c);
    save();
    return c;
  }

  @Override
  public synchronized LedgerChannel topUp(WalletKey payer, ChannelId id, Usdc amount, long newExpiryUnix) throws PaymentException {
    LedgerChannel c = require(id);
    if (!c.payer().equals(payer.address())) {
      throw new PaymentException(Reason.LEDGER_FAILED, "payer", "only the payer may top up");
    }
    if (c.closed() || nowUnix() >= c.expiryUnix()) {
      throw new PaymentException(Reason.CHANNEL_EXPIRED, "channel", "channel is closed or expired");
    }
    debit(payer.address(), amount);
    LedgerChannel n = new LedgerChannel(c.id(), c.payer(), c.signer(), c.payee(), add(c.deposit(), amount), c.claimed(),
        Math.max(c.expiryUnix(), newExpiryUnix), c.lastSequence(), false);
    channels.put(id, n);
    save();
    return n;
  }

  @Override
  public synchronized Usdc claim(WalletKey submitter, SignedVoucher voucher) throws PaymentException {
    LedgerChannel c = require(voucher.message().channelId());
    if (c.closed()) {
      throw new PaymentException(Reason.CHANNEL_CLOSED, "channel", "channel is closed");
    }
    if (nowUnix() >= Math.addExact(c.expiryUnix(), challengeWindow)) {
      throw new PaymentException(Reason.CHANNEL_EXPIRED, "channel", "the claim window is over");
    }
    if (voucher.message().sequence() <= c.lastSequence()) {
      throw new PaymentException(Reason.STALE_VOUCHER, "voucher.sequence", "voucher sequence is not above the last claim");
    }
    if (!voucher.message().payee().equals(c.payee())) {
      throw new PaymentException(Reason.WRONG_PAYEE, "voucher.payee", "voucher pays another payee");
    }
    voucher.verify(domain(), c.signer());
    Usdc payable = voucher.message().cumulativeAmount().min(c.deposit());
    if (!payable.greaterThan(c.claimed())) {
      throw new PaymentException(Reason.STALE_VOUCHER, "voucher.cumulative_amount", "nothing to claim");
    }
    Usdc pay = payable.minus(c.claimed());
    balances.put(c.payee(), add(balance(c.payee()), pay));
    channels.put(c.id(), new LedgerChannel(c.id(), c.payer(), c.signer(), c.payee(), c.deposit(), payable, c.expiryUnix(),
        voucher.message().sequence(), false));
    save();
    return pay;
  }

  @Override
  public synchronized Usdc withdraw(WalletKey payer, ChannelId id) throws PaymentException {
    LedgerChannel c = require(id);
    if (!c.payer().equals(payer.address())) {
      throw new PaymentException(Reason.LEDGER_FAILED, "payer", "only the payer may withdraw");
    }
    if (c.closed()) {
      throw new PaymentException(Reason.CHANNEL_CLOSED, "channel", "channel is closed");
    }
    if (nowUnix() < Math.addExact(c.expiryUnix(), challengeWindow)) {
      throw new PaymentException(Reason.LEDGER_FAILED, "channel", "not withdrawable before expiry plus the challenge window");
    }
    Usdc refund = c.deposit().minus(c.claimed());
    balances.put(c.payer(), add(balance(c.payer()), refund));
    channels.put(id, new LedgerChannel(c.id(), c.payer(), c.signer(), c.payee(), c.deposit(), c.claimed(), c.expiryUnix(),
        c.lastSequence(), true));
    save();
    return refund;
  }

  @Override
  public void close() {}

  private LedgerChannel require(ChannelId id) throws PaymentException {
    LedgerChannel c = channels.get(id);
    if (c == null) {
      throw new PaymentException(Reason.UNKNOWN_CHANNEL, "channel_id", "no such channel on the ledger");
    }
    return c;
  }

  private Usdc balance(EthAddress a) {
    return balances.getOrDefault(a, Usdc.ZERO);
  }

  private void debit(EthAddress from, Usdc amount) throws PaymentException {
    Usdc b = balance(from);
    if (amount.greaterThan(b)) {
      throw new PaymentException(Reason.CANNOT_PAY, "wallet", "wallet balance is too low");
    }
    balances.put(from, b.minus(amount));
  }

  private static Usdc add(Usdc a, Usdc b) throws PaymentException {
    try {
      return a.plus(b);
    } catch (ArithmeticException e) {
      throw new PaymentException(Reason.AMOUNT_OVERFLOW, "amount", "amount overflows");
    }
  }

  private void save() throws PaymentException {
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode b = root.putObject("balances");
    balances.forEach((k, v) -> b.put(k.hex(), Long.toString(v.units())));
    ArrayNode cs = root.putArray("channels");
    for (LedgerChannel c : channels.values()) {
      cs.addObject()
          .put("id", c.id().hex())
          .put("payer", c.payer().hex())
          .put("signer", c.signer().hex())
          .put("payee", c.payee().hex())
          .put("deposit", Long.toString(c.deposit().units()))
          .put("claimed", Long.toString(c.claimed().units()))
          .put("expiry", c.expiryUnix())
          .put("last_sequence", c.lastSequence())
          .put("closed", c.closed());
    }
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "ledger", "cannot write the ledger file", e);
    }
  }

  private void load() throws PaymentException {
    if (!Files.exists(file)) {
      return;
    }
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      var it = root.path("balances").fields();
      while (it.hasNext()) {
        var e = it.next();
        balances.put(EthAddress.parse(e.getKey(), "balance"), Usdc.fromWire(Long.parseLong(e.getValue().asText()), "balance"));
      }
      for (JsonNode c : root.path("channels")) {
        LedgerChannel lc = new LedgerChannel(
            ChannelId.fromHex(c.get("id").asText()),
            EthAddress.parse(c.get("payer").asText(), "payer"),
            EthAddress.parse(c.get("signer").asText(), "signer"),
            EthAddress.parse(c.get("payee").asText(), "payee"),
            Usdc.fromWire(Long.parseLong(c.get("deposit").asText()), "deposit"),
            Usdc.fromWire(Long.parseLong(c.get("claimed").asText()), "claimed"),
            c.get("expiry").asLong(),
            c.get("last_sequence").asLong(),
            c.get("closed").asBoolean());
        channels.put(lc.id(), lc);
      }
    } catch (IOException | RuntimeException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "ledger", "cannot read the ledger file", e);
    }
  }
}
