package org.openshard.payments.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.payments.AtomicFiles;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.Eip712Domain;
import org.openshard.payments.eip712.Eip712Signature;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.payments.ledger.Ledger;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.PaymentTerms;

/**
 * The buyer's channels: one per seller payee (per chain and escrow), each with a random 32-byte id
 * and its own {@link ChannelKey}. The wallet only funds deposits and top-ups; vouchers are signed
 * by the channel key. State (keys included) is persisted to one JSON file, mode 0600, before any
 * signature or ledger call leaves this class, so a crash never reuses a sequence number or loses
 * a funded channel's key.
 *
 * <pre>{@code
 * BuyerChannels.Negotiation n = channels.negotiate(sellerInfo.getPaymentTerms(), myMaxCost);
 * // on each PaymentRequired from the seller, on the same stream:
 * PaymentAuthorization auth = n.respond(paymentRequired);  // CHANNEL_EXHAUSTED → try another seller
 * }</pre>
 *
 * A resend never costs anything: if the seller already holds (or should hold) a voucher covering
 * what it asks for, the last voucher is sent again instead of a larger one.
 */
public final class BuyerChannels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Ledger ledger;
  private final WalletKey wallet;
  private final BuyerPolicy policy;
  private final Clock clock;
  private final Map<ChannelId, Entry> entries = new LinkedHashMap<>();

  private BuyerChannels(Path file, Ledger ledger, WalletKey wallet, BuyerPolicy policy, Clock clock) {
    this.file = file;
    this.ledger = ledger;
    this.wallet = wallet;
    this.policy = policy;
    this.clock = clock;
  }

  /** Loads (or creates) the state file and reconciles channels whose open was in flight. */
  public static BuyerChannels open(Path stateFile, Ledger ledger, WalletKey wallet, BuyerPolicy policy, Clock clock)
      throws PaymentException {
    BuyerChannels b = new BuyerChannels(stateFile, ledger, wallet, policy, clock);
    b.load();
    b.reconcilePending();
    return b;
  }

  /** Starts the payment negotiation of one request with a seller. */
  public Negotiation negotiate(PaymentTerms sellerTerms, Usdc buyerMaxCost) {
    return new Negotiation(sellerTerms, buyerMaxCost);
  }

  /** One request's payment rounds (bounded by {@link BuyerPolicy#maxRoundsPerRequest()}). */
  public final class Negotiation {
    private final PaymentTerms terms;
    private final Usdc maxCost;
    private int rounds;

    private Negotiation(PaymentTerms terms, Usdc maxCost) {
      this.terms = terms;
      this.maxCost = maxCost;
    }

    /**
     * Answers a seller's PaymentRequired with the authorization to send on the same stream.
     *
     * @throws PaymentException COST_LIMIT if the request costs more than the buyer allows;
     *     PAYMENT_INVALID reasons if the seller's frame is inconsistent; CANNOT_PAY (CHANNEL_EXHAUSTED)
     *     when this seller cannot be paid: move on to another seller
     */
    public PaymentAuthorization respond(PaymentRequired required) throws PaymentException {
      if (++rounds > policy.maxRoundsPerRequest()) {
        throw new PaymentException(Reason.CANNOT_PAY, "payment", "too many payment rounds for one request");
      }
      return BuyerChannels.this.respond(terms, maxCost, required);
    }

    public int rounds() {
      return rounds;
    }
  }

  /**
   * Prepays: signs a voucher raising this seller's channel by {@code amountDue} over the last
   * voucher (opening or topping up the channel first if needed).
   */
  public synchronized PaymentAuthorization authorize(PaymentTerms sellerTerms, Usdc amountDue) throws PaymentException {
    Entry e = usableChannel(sellerTerms, amountDue);
    boolean first = e.sequence == 0;
    Usdc target = add(e.cumulative, amountDue);
    return authorization(e, target, first);
  }

  /** The usable channel with this seller, if any. */
  public synchronized Optional<BuyerChannel> channel(PaymentTerms sellerTerms) throws PaymentException {
    Entry e = find(sellerTerms);
    return e == null ? Optional.empty() : Optional.of(e.view());
  }

  public synchronized List<BuyerChannel> channels() {
    List<BuyerChannel> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      out.add(e.view());
    }
    return out;
  }

  /** Whether this seller can be paid {@code amount} more (counting possible top-ups and the wallet). */
  public synchronized boolean canPay(PaymentTerms sellerTerms, Usdc amount) throws PaymentException {
    Entry e = find(sellerTerms);
    Usdc target = e == null ? amount : add(e.cumulative, amount);
    Usdc deposit = e == null ? Usdc.ZERO : e.deposit;
    if (target.greaterThan(policy.maxDepositPerChannel())) {
      return false;
    }
    Usdc need = target.saturatingMinus(deposit);
    return !need.greaterThan(ledger.balanceOf(wallet.address()));
  }

  /** After expiry plus the challenge window: takes back the unclaimed deposit. */
  public synchronized Usdc withdraw(ChannelId id) throws PaymentException {
    Entry e = entries.get(id);
    if (e == null) {
      throw new PaymentException(Reason.UNKNOWN_CHANNEL, "channel_id", "no such buyer channel");
    }
    Usdc refund = ledger.withdraw(wallet, id);
    e.status = BuyerChannel.Status.CLOSED;
    save();
    return refund;
  }

  private synchronized PaymentAuthorization respond(PaymentTerms terms, Usdc buyerMaxCost, PaymentRequired pr)
      throws PaymentException {
    checkTerms(terms, pr.getTerms());
    Usdc maxRequestCost = Usdc.fromWire(pr.getMaxRequestCost(), "payment_required.max_request_cost");
    Usdc due = Usdc.fromWire(pr.getAmountDue(), "payment_required.amount_due");
    if (!buyerMaxCost.isZero() && maxRequestCost.greaterThan(buyerMaxCost)) {
      throw new PaymentException(Reason.COST_LIMIT, "payment_required.max_request_cost",
          "the seller's maximum cost " + maxRequestCost + " is above the buyer's limit " + buyerMaxCost);
    }
    if (due.greaterThan(maxRequestCost)) {
      throw new PaymentException(Reason.MALFORMED, "payment_required.amount_due", "amount due is above the request's maximum cost");
    }
    Entry e = usableChannel(terms, due);
    boolean sellerKnows = pr.hasChannel()
        && pr.getChannel().getChannelId().size() == 32
        && ChannelId.of(pr.getChannel().getChannelId().toByteArray()).equals(e.id);
    Usdc sellerAuthorized = Usdc.ZERO;
    if (sellerKnows) {
      sellerAuthorized = Usdc.fromWire(pr.getChannel().getAuthorized(), "payment_required.channel.authorized");
      if (sellerAuthorized.greaterThan(e.cumulative)) {
        throw new PaymentException(Reason.MALFORMED, "payment_required.channel.authorized",
            "the seller reports more authorization than this buyer signed");
      }
    }
    Usdc target = add(sellerAuthorized, due);
    if (e.lastVoucher != null && !target.greaterThan(e.cumulative)) {
      // The last voucher already covers it (e.g. after a reconnect): resend, never inflate.
      return build(e, e.lastVoucher, !sellerKnows);
    }
    return authorization(e, target, !sellerKnows);
  }

  private PaymentAuthorization authorization(Entry e, Usdc target, boolean includeOpen) throws PaymentException {
    if (target.greaterThan(e.deposit)) {
      topUp(e, target);
    }
    VoucherMessage m = new VoucherMessage(e.id, e.payee, target, e.sequence + 1, Bytes32.ZERO);
    SignedVoucher v = e.key.signVoucher(domain(e), m);
    e.cumulative = target;
    e.sequence = m.sequence();
    e.lastVoucher = v;
    save(); // persisted before it leaves: a crash can never reuse this sequence number
    return build(e, v, includeOpen);
  }

  /** Tops up on the ledger and waits for it to be final before any voucher that needs it is signed. */
  private void topUp(Entry e, Usdc target) throws PaymentException {
    if (target.greaterThan(policy.maxDepositPerChannel())) {
      throw new PaymentException(Reason.CANNOT_PAY, "payment", "the channel would exceed the buyer's per-channel deposit cap");
    }
    Usdc need = target.minus(e.deposit);
    Usdc amount = need.max(policy.topUpAmount()).min(policy.maxDepositPerChannel().minus(e.deposit));
    long newExpiry = ledger.nowUnix() + policy.channelLifetimeSeconds();
    LedgerChannel lc = ledger.topUp(wallet, e.id, amount, newExpiry);
    e.deposit = lc.deposit();
    e.expiryUnix = lc.expiryUnix();
    save();
  }

  private PaymentAuthorization build(Entry e, SignedVoucher v, boolean includeOpen) {
    PaymentAuthorization.Builder b = PaymentAuthorization.newBuilder()
        .setVoucher(PaymentProtos.toProto(v))
        .setChainId(e.chainId)
        .setEscrowContract(e.escrow.hex());
    if (includeOpen && e.open != null) {
      b.setOpen(PaymentProtos.toProto(e.open));
    }
    return b.build();
  }

  private Entry usableChannel(PaymentTerms terms, Usdc due) throws PaymentException {
    Entry e = find(terms);
    if (e != null) {
      return e;
    }
    return openChannel(terms, due);
  }

  private Entry find(PaymentTerms terms) throws PaymentException {
    Eip712Domain d = Eip712Domain.escrow(terms);
    EthAddress payee = EthAddress.parse(terms.getPayee(), "terms.payee");
    long now = clock.instant().getEpochSecond();
    for (Entry e : entries.values()) {
      if (e.status == BuyerChannel.Status.OPEN && e.chainId == d.chainId() && e.escrow.equals(d.verifyingContract())
          && e.payee.equals(payee) && e.expiryUnix - now >= policy.expiryMarginSeconds()) {
        return e;
      }
    }
    return null;
  }

  private Entry openChannel(PaymentTerms terms, Usdc due) throws PaymentException {
    checkTerms(terms, terms);
    if (due.greaterThan(policy.maxDepositPerChannel())) {
      throw new PaymentException(Reason.CANNOT_PAY, "payment", "the amount due exceeds the per-channel deposit cap");
    }
    Entry e = new Entry();
    e.id = ChannelId.random();
    e.key = ChannelKey.generate();
    e.chainId = terms.getChainId();
    e.escrow = EthAddress.parse(terms.getEscrowContract(), "terms.escrow_contract");
    e.payee = EthAddress.parse(terms.getPayee(), "terms.payee");
    e.deposit = policy.initialDeposit().max(due);
    e.expiryUnix = ledger.nowUnix() + policy.channelLifetimeSeconds();
    e.cumulative = Usdc.ZERO;
    e.status = BuyerChannel.Status.PENDING_OPEN;
    ChannelOpenMessage om = new ChannelOpenMessage(e.id, e.key.address(), e.payee, e.deposit, e.expiryUnix);
    e.open = e.key.signOpen(domain(e), om);
    entries.put(e.id, e);
    save(); // the key is on disk before any money moves
    try {
      LedgerChannel lc = ledger.open(wallet, om);
      e.deposit = lc.deposit();
      e.expiryUnix = lc.expiryUnix();
      e.status = BuyerChannel.Status.OPEN;
      save();
      return e;
    } catch (PaymentException ex) {
      if (ledger.channel(e.id).isEmpty()) {
        entries.remove(e.id);
        save();
      }
      if (ex.reason() == Reason.CANNOT_PAY) {
        throw ex;
      }
      throw new PaymentException(Reason.CANNOT_PAY, "payment", "cannot open a channel: " + ex.reason(), ex);
    }
  }

  private void checkTerms(PaymentTerms expected, PaymentTerms got) throws PaymentException {
    if (got.getChainId() != ledger.chainId() || expected.getChainId() != got.getChainId()) {
      throw new PaymentException(Reason.WRONG_CHAIN, "terms.chain_id", "the seller's chain is not this buyer's ledger chain");
    }
    EthAddress escrow = EthAddress.parse(got.getEscrowContract(), "terms.escrow_contract");
    if (!escrow.equals(ledger.escrowContract())
        || !escrow.equals(EthAddress.parse(expected.getEscrowContract(), "terms.escrow_contract"))) {
      throw new PaymentException(Reason.WRONG_CONTRACT, "terms.escrow_contract", "the seller names another escrow contract");
    }
    if (!EthAddress.parse(got.getPayee(), "terms.payee").equals(EthAddress.parse(expected.getPayee(), "terms.payee"))) {
      throw new PaymentException(Reason.WRONG_PAYEE, "terms.payee", "the seller's payee changed mid-request");
    }
  }

  private Eip712Domain domain(Entry e) {
    return Eip712Domain.escrow(e.chainId, e.escrow);
  }

  private static Usdc add(Usdc a, Usdc b) throws PaymentException {
    try {
      return a.plus(b);
    } catch (ArithmeticException ex) {
      throw new PaymentException(Reason.AMOUNT_OVERFLOW, "payment", "amount overflows");
    }
  }

  private void reconcilePending() throws PaymentException {
    boolean changed = false;
    for (Entry e : new ArrayList<>(entries.values())) {
      if (e.status == BuyerChannel.Status.PENDING_OPEN) {
        Optional<LedgerChannel> lc = ledger.channel(e.id);
        if (lc.isPresent()) {
          e.deposit = lc.get().deposit();
          e.expiryUnix = lc.get().expiryUnix();
          e.status = BuyerChannel.Status.OPEN;
        } else {
          entries.remove(e.id);
        }
        changed = true;
      }
    }
    if (changed) {
      save();
    }
  }

  private static final class Entry {
    ChannelId id;
    ChannelKey key;
    long chainId;
    EthAddress escrow;
    EthAddress payee;
    Usdc deposit;
    long expiryUnix;
    Usdc cumulative;
    long sequence;
    BuyerChannel.Status status;
    SignedChannelOpen open;
    SignedVoucher lastVoucher;

    BuyerChannel view() {
      return new BuyerChannel(id, chainId, escrow, payee, key.address(), deposit, expiryUnix, cumulative, sequence, status,
          open, lastVoucher);
    }
  }

  private void save() throws PaymentException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ArrayNode arr = root.putArray("channels");
    for (Entry e : entries.values()) {
      byte[] k = e.key.toBytes();
      ObjectNode o = arr.addObject()
          .put("id", e.id.hex())
          .put("key", Bytes.hex(k))
          .put("chain_id", e.chainId)
          .put("escrow", e.escrow.hex())
          .put("payee", e.payee.hex())
          .put("deposit", Long.toString(e.deposit.units()))
          .put("expiry", e.expiryUnix)
          .put("cumulative", Long.toString(e.cumulative.units()))
          .put("sequence", e.sequence)
          .put("status", e.status.name())
          .put("open_max_amount", Long.toString(e.open.message().maxAmount().units()))
          .put("open_expiry", e.open.message().expiryUnix())
          .put("open_sig", e.open.signature().hex());
      Bytes.wipe(k);
      if (e.lastVoucher != null) {
        o.put("voucher_digest", e.lastVoucher.message().usageDigest().hex());
        o.put("voucher_sig", e.lastVoucher.signature().hex());
      }
    }
    try {
      AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    } catch (IOException ex) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "buyer_channels", "cannot write the buyer channel file", ex);
    }
  }

  private void load() throws PaymentException {
    if (!Files.exists(file)) {
      return;
    }
    try {
      AtomicFiles.setOwnerOnly(file);
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      for (JsonNode o : root.path("channels")) {
        Entry e = new Entry();
        e.id = ChannelId.fromHex(o.get("id").asText());
        byte[] k = Bytes.fromHex(o.get("key").asText());
        e.key = ChannelKey.fromBytes(k);
        Bytes.wipe(k);
        e.chainId = o.get("chain_id").asLong();
        e.escrow = EthAddress.parse(o.get("escrow").asText(), "escrow");
        e.payee = EthAddress.parse(o.get("payee").asText(), "payee");
        e.deposit = Usdc.fromWire(Long.parseLong(o.get("deposit").asText()), "deposit");
        e.expiryUnix = o.get("expiry").asLong();
        e.cumulative = Usdc.fromWire(Long.parseLong(o.get("cumulative").asText()), "cumulative");
        e.sequence = o.get("sequence").asLong();
        e.status = BuyerChannel.Status.valueOf(o.get("status").asText());
        Eip712Domain d = domain(e);
        e.open = new SignedChannelOpen(
            new ChannelOpenMessage(e.id, e.key.address(), e.payee,
                Usdc.fromWire(Long.parseLong(o.get("open_max_amount").asText()), "open_max_amount"), o.get("open_expiry").asLong()),
            Eip712Signature.fromHex(Eip712Signature.Kind.CHANNEL_OPEN, o.get("open_sig").asText(), "open_sig"));
        e.open.verify(d);
        if (o.has("voucher_sig")) {
          e.lastVoucher = new SignedVoucher(
              new VoucherMessage(e.id, e.payee, e.cumulative, e.sequence, Bytes32.fromHex(o.get("voucher_digest").asText(), "voucher_digest")),
              Eip712Signature.fromHex(Eip712Signature.Kind.VOUCHER, o.get("voucher_sig").asText(), "voucher_sig"));
          e.lastVoucher.verify(d, e.key.address());
        }
        entries.put(e.id, e);
      }
    } catch (IOException | CryptoException | RuntimeException ex) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "buyer_channels", "cannot read the buyer channel file", ex);
    }
  }
}
