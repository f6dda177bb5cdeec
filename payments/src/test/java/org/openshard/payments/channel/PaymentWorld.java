package org.openshard.payments.channel;

import java.nio.file.Path;
import java.time.Instant;
import org.openshard.payments.Bytes32;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.SignedChannelOpen;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.eip712.VoucherMessage;
import org.openshard.testing.MutableClock;
import org.openshard.payments.ledger.InProcessLedger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Rates;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentTerms;
import org.openshard.proto.v1.Usage;

/** A seller and a buyer on one in-process ledger, with file-backed state under a temp folder. */
final class PaymentWorld {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final InProcessLedger ledger = InProcessLedger.inMemory(clock, 3600);
  final WalletKey sellerWallet = WalletKey.generate();
  final EthAddress payee = sellerWallet.address();
  final WalletKey buyerWallet = WalletKey.generate();
  final Path dir;
  final Rates rates;
  ChannelStore store;
  ChannelValidator seller;
  BuyerChannels buyer;

  PaymentWorld(Path dir) throws Exception {
    this.dir = dir;
    this.rates = Rates.of(1_000_000, 500_000, 2_000_000); // 1 unit per input token, 2 per output token
    ledger.mint(buyerWallet.address(), Usdc.ofUnits(100_000_000));
    store = FileChannelStore.open(dir.resolve("seller"));
    seller = new ChannelValidator(payee, store, ledger, clock);
    buyer = BuyerChannels.open(dir.resolve("buyer.json"), ledger, buyerWallet, BuyerPolicy.defaults(), clock);
  }

  PaymentTerms terms() {
    return seller.terms();
  }

  /** A seller restart: new store and validator instances over the same files. */
  void restartSeller() throws Exception {
    store.close();
    store = FileChannelStore.open(dir.resolve("seller"));
    seller = new ChannelValidator(payee, store, ledger, clock);
  }

  /** A buyer restart over the same state file. */
  void restartBuyer() throws Exception {
    buyer = BuyerChannels.open(dir.resolve("buyer.json"), ledger, buyerWallet, BuyerPolicy.defaults(), clock);
  }

  /** A channel funded directly on the ledger with a known key (to craft vouchers the buyer class refuses to make). */
  record RawChannel(ChannelId id, ChannelKey key, SignedChannelOpen open) {}

  /** Opens a channel of {@code deposit} base units on the ledger, expiring {@code lifetimeSeconds} from now. */
  RawChannel rawChannel(long deposit, long lifetimeSeconds) throws Exception {
    ChannelKey k = ChannelKey.generate();
    ChannelId id = ChannelId.random();
    ChannelOpenMessage om = new ChannelOpenMessage(id, k.address(), payee, Usdc.ofUnits(deposit), ledger.nowUnix() + lifetimeSeconds);
    ledger.open(buyerWallet, om);
    return new RawChannel(id, k, k.signOpen(ledger.domain(), om));
  }

  /** A payment authorization for {@code c}: a voucher for {@code cumulative} at {@code seq}, with the open if asked. */
  PaymentAuthorization auth(RawChannel c, long cumulative, long seq, boolean withOpen) {
    SignedVoucher v = c.key().signVoucher(ledger.domain(), new VoucherMessage(c.id(), payee, Usdc.ofUnits(cumulative), seq,
        Bytes32.ZERO));
    PaymentAuthorization.Builder b = PaymentAuthorization.newBuilder().setVoucher(PaymentProtos.toProto(v))
        .setChainId(ledger.chainId()).setEscrowContract(ledger.escrowContract().hex());
    if (withOpen) {
      b.setOpen(PaymentProtos.toProto(c.open()));
    }
    return b.build();
  }

  static Usage usage(long prompt, long out) {
    return Usage.newBuilder().setPromptTokens(prompt).setCompletionTokens(out).build();
  }
}
