package org.openshard.seller.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.payments.channel.BuyerChannels;
import org.openshard.payments.channel.BuyerPolicy;
import org.openshard.payments.channel.ChannelValidator;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.ledger.InProcessLedger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Rates;
import org.openshard.payments.money.Usdc;
import org.openshard.payments.receipts.Receipts;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.testkit.ConnectedSeller;
import org.openshard.seller.testkit.FakeEnvelopes;
import org.openshard.seller.testkit.FakeOpenAiServer;
import org.openshard.seller.testkit.MemoryNullifierStore;
import org.openshard.seller.testkit.TestBuyer;

/** A priced offering paid through a payment channel on the in-process ledger, over real gRPC. */
class PaidSellerTest {
  static final Offering PRICED =
      Offering.builder().id("paid").serviceId("llama-paid").upstreamModel("up").inputPricePerMillion(1_000_000)
          .cachedInputPricePerMillion(500_000).outputPricePerMillion(2_000_000).build();

  @TempDir Path dir;
  private final FakeOpenAiServer upstream = new FakeOpenAiServer();
  private final InProcessLedger ledger = InProcessLedger.inMemory(Clock.systemUTC(), 3600);
  private final WalletKey sellerWallet = WalletKey.generate();
  private final WalletKey buyerWallet = WalletKey.generate();
  private SellerNode node;
  private ConnectedSeller seller;
  private TestBuyer buyer;
  private BuyerChannels buyerChannels;

  @BeforeEach
  void start() throws Exception {
    ledger.mint(buyerWallet.address(), Usdc.ofUnits(100_000_000));
    ChannelValidator validator =
        new ChannelValidator(sellerWallet.address(), FileChannelStore.open(dir.resolve("seller-channels")), ledger, Clock.systemUTC());
    seller =
        ConnectedSeller.start(
            SellerNode.builder()
                .identityKey(Secp256k1PrivateKey.generate())
                .offerings(List.of(PRICED))
                .upstream(upstream.baseUrl(), null)
                .proofCheck(FakeEnvelopes.proofCheck(FakeEnvelopes.log()))
                .nullifierStore(new MemoryNullifierStore(FakeEnvelopes.log()))
                .payments(validator, Duration.ofSeconds(10)));
    node = seller.node();
    buyer = seller.buyer();
    buyerChannels = BuyerChannels.open(dir.resolve("buyer.json"), ledger, buyerWallet, BuyerPolicy.defaults(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    seller.close();
    upstream.close();
  }

  private TestBuyer.Result paidRequest(SellerInfo info) throws Exception {
    SealedQuery q = SealedQuery.newBuilder().setServiceId("llama-paid")
        .setOpenaiRequestJson("{\"model\":\"llama-paid\",\"stream\":true,\"max_tokens\":100,\"messages\":[]}").build();
    var negotiation = buyerChannels.negotiate(info.getPaymentTerms(), Usdc.ofUnits(1_000_000));
    AtomicReference<TestBuyer.Result> ref = new AtomicReference<>();
    TestBuyer.Result r =
        buyer.infer(BuyerFrame.newBuilder().setEnvelope(buyer.seal(buyer.currentKey(), q, true).envelope()).build(), 0,
            e -> {
              if (e.hasPaymentRequired()) {
                try {
                  while (ref.get() == null) {
                    Thread.onSpinWait();
                  }
                  ref.get().send(BuyerFrame.newBuilder().setPayment(negotiation.respond(e.getPaymentRequired())).build());
                } catch (Exception ex) {
                  throw new IllegalStateException(ex);
                }
              }
            });
    ref.set(r);
    return r;
  }

  @Test
  void pricedOfferingIsServedOncePaidAndTheReceiptChargesMeteredUsage() throws Exception {
    SellerInfo info = buyer.info();
    assertEquals(sellerWallet.address().hex(), info.getPaymentTerms().getPayee());
    TestBuyer.Result r = paidRequest(info);
    assertEquals(Status.Code.OK, r.await().getCode(), String.valueOf(r.error));
    List<SellerEvent> ev = r.events;
    assertTrue(ev.get(0).hasAccepted());
    assertTrue(ev.get(0).getAccepted().getMaxRequestCost() > 0);
    assertTrue(ev.get(1).hasPaymentRequired(), ev.get(1).toString());
    assertTrue(ev.get(2).hasChunk());
    SellerEvent last = ev.get(ev.size() - 1);
    Receipt receipt = Receipts.verify(last.getReceipt(), node.peerId());
    // Usage 9 prompt (2 cached), 3 completion: 7 * 1 + 2 * 0.5 + 3 * 2 = 14 base units.
    long expected = Rates.of(1_000_000, 500_000, 2_000_000).cost(receipt.getUsage()).units();
    assertEquals(14, expected);
    assertEquals(expected, receipt.getAmountCharged());
    assertEquals(32, receipt.getChannelId().size());
    assertTrue(receipt.getVoucherSequence() >= 1);
    assertEquals(1, upstream.started.get());
  }

  @Test
  void unpaidRequestNeverReachesTheUpstream() throws Exception {
    SealedQuery q = SealedQuery.newBuilder().setServiceId("llama-paid").setOpenaiRequestJson("{\"stream\":true}").build();
    TestBuyer.Result r = buyer.infer(buyer.seal(buyer.currentKey(), q, true).envelope());
    // The buyer never answers PaymentRequired: the stream is cancelled by the buyer.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (r.events.stream().noneMatch(SellerEvent::hasPaymentRequired) && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(r.events.stream().anyMatch(SellerEvent::hasPaymentRequired));
    r.send(BuyerFrame.newBuilder().setCancel(org.openshard.proto.v1.Cancel.getDefaultInstance()).build());
    assertEquals(Status.Code.CANCELLED, r.await().getCode());
    assertEquals(ErrorCode.CANCELLED, r.detail().getCode());
    assertEquals(0, upstream.started.get());
  }

  @Test
  void buyerCostLimitIsEnforced() throws Exception {
    SealedQuery q = SealedQuery.newBuilder().setServiceId("llama-paid").setMaxCost(1)
        .setOpenaiRequestJson("{\"stream\":true,\"max_tokens\":100000}").build();
    TestBuyer.Result r = buyer.infer(buyer.seal(buyer.currentKey(), q, true).envelope());
    assertEquals(Status.Code.FAILED_PRECONDITION, r.await().getCode());
    assertEquals(ErrorCode.PAYMENT_INVALID, r.detail().getCode());
    assertEquals(0, upstream.started.get());
  }
}
