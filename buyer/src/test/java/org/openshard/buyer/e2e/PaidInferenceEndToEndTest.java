package org.openshard.buyer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.testing.Await;
import org.openshard.testing.grpc.RecordingSellerProxy;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerNode;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.gateway.PeerPin;
import org.openshard.buyer.payments.BuyerPayments;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.SellerEncryptionKey;
import org.openshard.echo.EchoServer;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.channel.BuyerChannel;
import org.openshard.payments.channel.BuyerPolicy;
import org.openshard.payments.channel.ChannelRecord;
import org.openshard.payments.channel.ChannelValidator;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.ledger.InProcessLedger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.CipherSuite;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.Usage;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;

/**
 * Paid private inference over loopback: a registry, priced sellers (behind recording proxies) and
 * a buyer sharing one in-process ledger, an echo upstream. Payment is negotiated on the Infer
 * stream (PaymentRequired -> PaymentAuthorization), never by re-sending the envelope.
 */
class PaidInferenceEndToEndTest {
  private static final String SERVICE = "echo-1";
  private static final long IN = 1_234_567;
  private static final long OUT = 2_345_679;

  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private InProcessLedger ledger;
  /** The ledger sellers use (default: the buyer's {@link #ledger} instance). */
  private org.openshard.payments.ledger.Ledger sellerLedger;
  private EchoServer echo;
  private RegistryServer registry;
  private final List<Seller> sellers = new ArrayList<>();
  private BuyerPayments payments;
  private BuyerNode buyer;
  private ManagedChannel gateway;

  /** A priced seller node, its channel store and the proxy buyers reach it through. */
  private final class Seller {
    final String offeringId;
    final Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
    final byte[] encryptionScalar = Secp256k1PrivateKey.generate().toBytes();
    final Instant keyNotBefore = Instant.now().minusSeconds(60);
    final RecordingSellerProxy proxy;
    final long inPrice;
    final long expiryMargin;
    SellerNode node;
    FileChannelStore store;
    org.openshard.credentials.replay.FileReplayCache replay;
    int starts;

    Seller(String offeringId, long inPrice, long expiryMargin) throws Exception {
      this.offeringId = offeringId;
      this.inPrice = inPrice;
      this.expiryMargin = expiryMargin;
      this.proxy = new RecordingSellerProxy();
    }

    /** Starts (or restarts) the node on the same identity, encryption key and channel store directory. */
    void start() throws Exception {
      store = FileChannelStore.open(dir.resolve("channels-" + offeringId));
      replay = org.openshard.credentials.replay.FileReplayCache.open(dir.resolve(offeringId + ".replay" + (starts++)));
      EthAddress payee = EthAddress.of(identity.publicKey().ethereumAddress());
      node = SellerNode.builder()
          .identityKey(identity)
          .initialEncryptionKey(SellerEncryptionKey.fromPrivateKeyBytes(CipherSuite.CIPHER_SUITE_SECP256K1_HKDF_SHA256_AES_256_GCM,
              "k-" + offeringId, encryptionScalar.clone(), keyNotBefore, keyNotBefore.plusSeconds(7200)))
          .keyRotation(Duration.ZERO)
          .offerings(List.of(Offering.builder().id(offeringId).capability(Offering.Kind.INFERENCE).serviceId(SERVICE)
              .upstreamModel("echo-model").inputPricePerMillion(inPrice).outputPricePerMillion(OUT).build()))
          .upstream(echo.baseUrl(), null)
          .registries(List.of(registry.target()))
          .replayCache(replay)
          .nullifierEpochs(NullifierEpochs.of(3600, 256))
          .payments(new ChannelValidator(payee, store, sellerLedger == null ? ledger : sellerLedger, clock, expiryMargin, ChannelValidator.DEFAULT_RESERVATION_TTL_MS),
              Duration.ofSeconds(10))
          .listen(ListenAddress.loopback(0))
          .advertise(proxy.target())
          .build()
          .start();
      proxy.forwardTo(node.target());
    }

    String peerId() {
      return node.peerId();
    }

    void close() throws Exception {
      node.close();
      store.close();
      replay.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    ledger = InProcessLedger.inMemory(clock, 3600);
    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    registry = RegistryServer.builder()
        .listen(ListenAddress.loopback(0))
        .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
        .start();
    WalletKey wallet = WalletKey.generate();
    ledger.mint(wallet.address(), Usdc.parse("100"));
    payments = BuyerPayments.open(ledger, wallet, dir.resolve("buyer.channels"), BuyerPolicy.defaults(), clock);
  }

  private void startAll(Seller... ss) throws Exception {
    for (Seller s : ss) {
      s.start();
      sellers.add(s);
    }
    buyer = BuyerNode.start(BuyerConfig.builder()
        .registry(registry.target())
        .credentialFile(dir.resolve("buyer.credential"))
        .listen(ListenAddress.loopback(0))
        .readyTimeout(Duration.ofSeconds(20))
        .payments(payments)
        .build());
    gateway = NettyChannelBuilder.forTarget(buyer.target()).usePlaintext().build();
    Await.until(Duration.ofSeconds(15), () -> sellerCount() == ss.length, "every seller in the buyer's index");
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (buyer != null) {
      buyer.close();
    }
    for (Seller s : sellers) {
      s.close();
      s.proxy.close();
    }
    payments.close();
    registry.close();
    echo.close();
  }

  private int sellerCount() {
    var r = GatewayGrpc.newBlockingStub(gateway).listModels(ListModelsRequest.getDefaultInstance());
    return r.getModelsCount() == 0 ? 0 : r.getModels(0).getSellerCount();
  }

  private static String body(String prompt, int maxTokens) {
    return "{\"model\":\"" + SERVICE + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  private RequestSummary chat(String json, String pin) {
    GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(gateway).withDeadlineAfter(20, TimeUnit.SECONDS);
    if (pin != null) {
      Metadata md = new Metadata();
      md.put(PeerPin.KEY, pin);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    List<ChatCompletionEvent> events = new ArrayList<>();
    stub.chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json).build()).forEachRemaining(events::add);
    ChatCompletionEvent last = events.get(events.size() - 1);
    assertTrue(last.hasSummary(), "the last event is the summary");
    return last.getSummary();
  }

  /** ceil((prompt·in + completion·out) / 10^6), computed here independently of the payments module. */
  private static long expectedCharge(Usage u, long inPrice) {
    BigInteger num = BigInteger.valueOf(u.getPromptTokens()).multiply(BigInteger.valueOf(inPrice))
        .add(BigInteger.valueOf(u.getCompletionTokens()).multiply(BigInteger.valueOf(OUT)));
    BigInteger[] qr = num.divideAndRemainder(BigInteger.valueOf(1_000_000));
    return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
  }

  private BuyerChannel channelWith(Seller s) {
    EthAddress payee = EthAddress.of(s.peerId());
    for (BuyerChannel c : payments.channels().channels()) {
      if (c.payee().equals(payee)) {
        return c;
      }
    }
    throw new AssertionError("no buyer channel with " + s.peerId());
  }

  private ChannelRecord sellerRecord(Seller s, ChannelId id) throws Exception {
    return s.store.find(id).orElseThrow();
  }

  @Test
  void pricedRequestIsPaidOnTheSameStreamAndCharged() throws Exception {
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    RequestSummary s = chat(body("the quick brown fox", 1000), null);
    assertEquals(a.peerId(), s.getSellerId());
    assertEquals(1, a.proxy.envelopes.size(), "the envelope was sent exactly once");
    assertEquals(1, a.proxy.paymentRequired.size());
    assertEquals(1, a.proxy.payments.size());
    assertTrue(a.proxy.payments.get(0).hasOpen(), "the first authorization opens the channel");
    assertTrue(s.getUsage().getCompletionTokens() > 0);
    long charged = expectedCharge(s.getUsage(), IN);
    assertTrue(charged > 0);
    assertEquals(charged, s.getAmountCharged());
    assertEquals(32, s.getReceiptId().length());

    BuyerChannel c = channelWith(a);
    assertEquals(1, payments.receipts().receipts(c.id()).size());
    assertEquals(Usdc.ofUnits(charged), payments.receipts().totalCharged(c.id()));
    ChannelRecord rec = sellerRecord(a, c.id());
    assertEquals(Usdc.ofUnits(charged), rec.consumed());
    assertEquals(c.cumulative(), rec.authorized());
    assertEquals(1, echo.stats().requests());
  }

  @Test
  void remainingCreditIsReusedAndTheCumulativeAmountOnlyGrows() throws Exception {
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    RequestSummary s1 = chat(body("first request", 1000), a.peerId());
    long cum1 = a.proxy.payments.get(0).getVoucher().getCumulativeAmount();
    assertEquals(1, a.proxy.paymentRequired.size());

    // Much cheaper than the credit left: the latest voucher is re-presented, no new round.
    RequestSummary s2 = chat(body("second", 50), a.peerId());
    assertEquals(1, a.proxy.paymentRequired.size(), "no PaymentRequired while the credit suffices");
    assertEquals(cum1, a.proxy.payments.get(a.proxy.payments.size() - 1).getVoucher().getCumulativeAmount());

    // More than the credit left: a new, larger voucher on the same stream.
    RequestSummary s3 = chat(body("third request", 4000), a.peerId());
    assertEquals(2, a.proxy.paymentRequired.size());
    long previous = 0;
    long previousSeq = 0;
    for (var p : a.proxy.payments) {
      assertTrue(p.getVoucher().getCumulativeAmount() >= previous);
      assertTrue(p.getVoucher().getSequence() >= previousSeq);
      previous = p.getVoucher().getCumulativeAmount();
      previousSeq = p.getVoucher().getSequence();
    }
    assertTrue(previous > cum1, "the cumulative amount strictly increased");
    assertEquals(3, a.proxy.envelopes.size() + a.proxy.resumed.size());
    assertEquals(1, a.proxy.envelopes.size(), "later requests resumed the session");

    long total = s1.getAmountCharged() + s2.getAmountCharged() + s3.getAmountCharged();
    for (RequestSummary s : List.of(s1, s2, s3)) {
      assertEquals(expectedCharge(s.getUsage(), IN), s.getAmountCharged());
    }
    BuyerChannel c = channelWith(a);
    assertEquals(Usdc.ofUnits(total), sellerRecord(a, c.id()).consumed());
    assertEquals(Usdc.ofUnits(total), payments.receipts().totalCharged(c.id()));
  }

  @Test
  void concurrentRequestsOnOneChannelNeverSpendTheSameCredit() throws Exception {
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    chat(body("warm up", 10), a.peerId()); // opens the channel
    int n = 4;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<RequestSummary>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String prompt = "concurrent " + i;
      futures.add(pool.submit(() -> chat(body(prompt, 1000), a.peerId())));
    }
    long charged = 0;
    int ok = 1;
    for (Future<RequestSummary> f : futures) {
      try {
        RequestSummary s = f.get(30, TimeUnit.SECONDS);
        assertEquals(expectedCharge(s.getUsage(), IN), s.getAmountCharged());
        assertTrue(s.getAmountCharged() > 0, "no request is served unpaid");
        charged += s.getAmountCharged();
        ok++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof StatusRuntimeException, String.valueOf(e.getCause()));
      }
    }
    pool.shutdownNow();
    assertTrue(ok >= 2, "at least one concurrent request was served");
    assertEquals(ok, echo.stats().requests(), "the upstream served only paid requests");
    BuyerChannel c = channelWith(a);
    ChannelRecord rec = sellerRecord(a, c.id());
    assertFalse(rec.consumed().greaterThan(rec.authorized()), "charged ≤ authorized");
    assertEquals(payments.receipts().totalCharged(c.id()), rec.consumed());
    assertTrue(rec.consumed().units() >= charged);
    assertTrue(rec.reserved().isZero(), "no reservation is left behind");
  }

  @Test
  void aSellerRestartNeitherLosesCreditNorServesForFree() throws Exception {
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    RequestSummary s1 = chat(body("before the restart", 1000), a.peerId());
    BuyerChannel c = channelWith(a);
    ChannelRecord before = sellerRecord(a, c.id());

    a.close();
    a.start(); // a new SellerNode on the same channel store
    Await.until(Duration.ofSeconds(15), () -> sellerCount() == 1, "the restarted seller is listed");
    ChannelRecord reloaded = sellerRecord(a, c.id());
    assertEquals(before.authorized(), reloaded.authorized());
    assertEquals(before.consumed(), reloaded.consumed());

    int prBefore = a.proxy.paymentRequired.size();
    RequestSummary s2 = chat(body("after", 50), a.peerId());
    assertEquals(prBefore, a.proxy.paymentRequired.size(), "the credit from before the restart is still there");
    assertEquals(expectedCharge(s2.getUsage(), IN), s2.getAmountCharged());
    assertTrue(s2.getAmountCharged() > 0);
    ChannelRecord after = sellerRecord(a, c.id());
    assertEquals(Usdc.ofUnits(s1.getAmountCharged() + s2.getAmountCharged()), after.consumed());
    assertFalse(after.consumed().greaterThan(after.authorized()));
  }

  @Test
  void aSellerThatCannotBePaidIsLeftForAnother() throws Exception {
    // A is cheaper (tried first) but refuses every channel of this buyer as expiring too soon:
    // its margin is longer than the buyer's channel lifetime -> CHANNEL_EXHAUSTED before any token.
    Seller a = new Seller("a", IN / 2, BuyerPolicy.defaults().channelLifetimeSeconds() + 3600);
    Seller b = new Seller("b", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a, b);
    RequestSummary s = chat(body("anyone", 200), null);
    assertEquals(b.peerId(), s.getSellerId());
    assertEquals(2, s.getAttempts());
    assertEquals(1, a.proxy.envelopes.size());
    assertTrue(a.proxy.errors.stream().anyMatch(e -> e.getCode() == ErrorCode.CHANNEL_EXHAUSTED), a.proxy.errors.toString());
    assertEquals(expectedCharge(s.getUsage(), IN), s.getAmountCharged());
    assertEquals(1, echo.stats().requests(), "only B's upstream call happened");
  }

  @Test
  void aForgedVoucherIsRefusedAndNothingReachesTheUpstream() throws Exception {
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    a.proxy.tamperPayment = f -> {
      byte[] sig = f.getPayment().getVoucher().getSignature().toByteArray();
      sig[5] ^= 0x40;
      return BuyerFrame.newBuilder().setPayment(f.getPayment().toBuilder()
          .setVoucher(f.getPayment().getVoucher().toBuilder().setSignature(ByteString.copyFrom(sig)))).build();
    };
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> chat(body("forged", 100), a.peerId()));
    ErrorDetail d = ErrorStatuses.detailOf(e).orElseThrow();
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, d.getCode());
    assertEquals(ErrorCode.PAYMENT_INVALID.name(), d.getMetadataOrThrow("cause_code"));
    assertTrue(a.proxy.errors.stream().anyMatch(x -> x.getCode() == ErrorCode.PAYMENT_INVALID), a.proxy.errors.toString());
    assertEquals(0, echo.stats().requests(), "nothing reached the upstream");
    BuyerChannel c = channelWith(a);
    assertTrue(sellerRecordOrEmpty(a, c.id()).map(r -> r.consumed().isZero()).orElse(true));
  }

  @Test
  void sellerAndBuyerShareALedgerFileThroughSeparateHandles() throws Exception {
    // As two processes started with --ledger file:PATH: each side has its own handle on the file.
    Path file = dir.resolve("shared.ledger");
    org.openshard.payments.ledger.SharedFileLedger buyerSide =
        org.openshard.payments.ledger.SharedFileLedger.open(file, clock, 3600);
    sellerLedger = org.openshard.payments.ledger.SharedFileLedger.open(file, clock, 3600);
    WalletKey wallet = WalletKey.generate();
    buyerSide.mint(wallet.address(), Usdc.parse("20"));
    payments.close();
    payments = BuyerPayments.open(buyerSide, wallet, dir.resolve("shared.channels"), BuyerPolicy.defaults(), clock);
    Seller a = new Seller("a", IN, ChannelValidator.DEFAULT_EXPIRY_MARGIN_SECONDS);
    startAll(a);
    RequestSummary s = chat(body("over a shared ledger file", 500), null);
    assertEquals(expectedCharge(s.getUsage(), IN), s.getAmountCharged());
    BuyerChannel c = channelWith(a);
    assertTrue(sellerLedger.channel(c.id()).isPresent(), "the seller's handle sees the channel the buyer funded");
    assertEquals(Usdc.parse("20").minus(c.deposit()), sellerLedger.balanceOf(wallet.address()));
    assertTrue(ledger.channel(c.id()).isEmpty(), "the in-memory ledger was not used");
  }

  private java.util.Optional<ChannelRecord> sellerRecordOrEmpty(Seller s, ChannelId id) throws Exception {
    return s.store.find(id);
  }

}
