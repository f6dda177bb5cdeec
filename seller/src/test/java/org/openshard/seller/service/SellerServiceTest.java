package org.openshard.seller.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.envelope.ChunkOpener;
import org.openshard.crypto.envelope.VerifiedKeyAnnouncement;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.Cancel;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.pipeline.NullifierId;
import org.openshard.seller.pipeline.ReceiptIssuer;
import org.openshard.seller.testkit.ConnectedSeller;
import org.openshard.seller.testkit.FakeEnvelopes;
import org.openshard.seller.testkit.FakeOpenAiServer;
import org.openshard.seller.testkit.MemoryNullifierStore;
import org.openshard.seller.testkit.TestBuyer;
import org.openshard.payments.receipts.Receipts;

/** The Seller service over real loopback gRPC, with real envelopes and a real HTTP upstream. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SellerServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Offering FREE = Offering.builder().id("free").serviceId("llama-free").upstreamModel("meta/llama-up").build();
  static final Offering PRICED =
      Offering.builder().id("paid").serviceId("llama-paid").upstreamModel("meta/llama-up").inputPricePerMillion(150_000)
          .outputPricePerMillion(600_000).build();

  private final FakeOpenAiServer upstream = new FakeOpenAiServer();
  private List<String> log;
  private MemoryNullifierStore store;
  private Secp256k1PrivateKey identity;
  private SellerNode node;
  private ConnectedSeller seller;
  private TestBuyer buyer;

  private void start(int maxConcurrency, Duration grace) throws Exception {
    seller =
        ConnectedSeller.start(
            fakeProofSeller(identity, upstream, "sk-upstream", log, store).maxConcurrency(maxConcurrency).keyGrace(grace));
    node = seller.node();
    buyer = seller.buyer();
  }

  /**
   * A seller of {@link #FREE} and {@link #PRICED} in front of {@code upstream}, whose proof checks
   * are the fakes logged to {@code log}, with a short drain.
   */
  static SellerNode.Builder fakeProofSeller(
      Secp256k1PrivateKey identity, FakeOpenAiServer upstream, String apiKey, List<String> log, MemoryNullifierStore store) {
    return SellerNode.builder()
        .identityKey(identity)
        .offerings(List.of(FREE, PRICED))
        .upstream(upstream.baseUrl(), apiKey)
        .proofCheck(FakeEnvelopes.proofCheck(log))
        .nullifierStore(store)
        .drainTimeout(Duration.ofMillis(500));
  }

  @BeforeEach
  void fresh() {
    upstream.reset();
    log = FakeEnvelopes.log();
    store = new MemoryNullifierStore(log);
    identity = Secp256k1PrivateKey.generate();
  }

  @AfterEach
  void stop() throws Exception {
    if (seller != null) {
      seller.close();
    }
  }

  @AfterAll
  void stopUpstream() {
    upstream.close();
  }

  static SealedQuery query(String service, String json) {
    return SealedQuery.newBuilder().setServiceId(service).setOpenaiRequestJson(json).build();
  }

  static final String STREAM =
      "{\"model\":\"llama-free\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}";

  /** A free streaming request against an endless upstream, once {@code chunks} chunks arrived. */
  private TestBuyer.Result endlessStreamAfterChunks(int chunks) throws Exception {
    upstream.mode = FakeOpenAiServer.Mode.ENDLESS;
    CountDownLatch seen = new CountDownLatch(chunks);
    TestBuyer.Result r =
        buyer.infer(BuyerFrame.newBuilder().setEnvelope(buyer.seal(buyer.currentKey(), query("llama-free", STREAM), true).envelope()).build(),
            0, e -> {
              if (e.hasChunk()) {
                seen.countDown();
              }
            });
    assertTrue(seen.await(10, TimeUnit.SECONDS));
    return r;
  }

  @Test
  void getInfoListsOfferingsAndVerifiableKeys() throws Exception {
    start(4, Duration.ofMinutes(15));
    SellerInfo info = buyer.info();
    assertEquals(node.peerId(), info.getPeerId());
    assertEquals(2, info.getOfferingsCount());
    assertEquals("free", info.getOfferings(0).getOfferingId());
    assertEquals(List.of(1), info.getProtocolVersionsList());
    assertEquals(1, info.getEncryptionKeysCount());
    assertTrue(info.getSlotsPerEpoch() > 0);
    assertTrue(info.getEpochSeconds() > 0);
    VerifiedKeyAnnouncement k = buyer.verify(info.getEncryptionKeys(0));
    assertEquals(node.peerId(), k.sellerId());
  }

  @Test
  void roundTripChunksDecryptInOrderWithUsageAndSignedReceipt() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), query("llama-free", STREAM), true);
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.OK, r.await().getCode(), String.valueOf(r.error));

    List<SellerEvent> ev = r.events;
    assertTrue(ev.get(0).hasAccepted());
    assertEquals("free", ev.get(0).getAccepted().getOfferingId());
    assertArrayEquals(Hashes.sha256(s.envelope().getZkProof().getKeyImage().toByteArray()),
        ev.get(0).getAccepted().getNullifierHash().toByteArray());
    ChunkOpener opener = s.opener();
    StringBuilder text = new StringBuilder();
    ByteArrayOutputStream cts = new ByteArrayOutputStream();
    int i = 1;
    for (; ev.get(i).hasChunk(); i++) {
      cts.write(ev.get(i).getChunk().getCiphertext().toByteArray());
      StreamPayload p = opener.open(ev.get(i).getChunk());
      if (p.hasOpenaiChunkJson()) {
        JsonNode c = JSON.readTree(p.getOpenaiChunkJson()).get("choices").get(0).get("delta").get("content");
        if (c != null) {
          text.append(c.asText());
        }
      }
    }
    opener.finish();
    assertEquals("Hello wörld", text.toString());
    assertTrue(ev.get(i).hasUsage());
    assertEquals(9, ev.get(i).getUsage().getPromptTokens());
    assertEquals(2, ev.get(i).getUsage().getCachedPromptTokens());
    assertTrue(ev.get(i + 1).hasReceipt());
    assertEquals(i + 2, ev.size());
    Receipt receipt = Receipt.parseFrom(ev.get(i + 1).getReceipt().getReceipt());
    assertEquals(node.peerId(), IdentitySignatures.recoverAddress(Receipts.CONTEXT,
        ev.get(i + 1).getReceipt().getReceipt().toByteArray(), ev.get(i + 1).getReceipt().getSignature().toByteArray()));
    assertEquals(0, receipt.getAmountCharged());
    assertArrayEquals(Hashes.sha256(cts.toByteArray()), receipt.getResponseHash().toByteArray());
    assertArrayEquals(Hashes.sha256(s.envelope().getHeader().getSessionId().toByteArray(),
        s.envelope().getEncryptedQuery().toByteArray()), receipt.getRequestHash().toByteArray());

    // Proof verified, nullifier stored, and the upstream got the request with only model changed.
    assertTrue(store.contains(NullifierId.of(s.envelope().getZkProof().getKeyImage())));
    JsonNode sent = JSON.readTree(upstream.bodies.get(0));
    assertEquals("meta/llama-up", sent.get("model").asText());
    assertEquals(0.2, sent.get("temperature").asDouble());
    assertEquals("Bearer sk-upstream", upstream.authorizations.get(0));
  }

  @Test
  void nonStreamingRequestGetsOneFinalChunk() throws Exception {
    start(4, Duration.ofMinutes(15));
    upstream.mode = FakeOpenAiServer.Mode.JSON;
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), query("llama-free", "{\"model\":\"llama-free\",\"messages\":[]}"), true);
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.OK, r.await().getCode());
    StreamPayload p = s.opener().open(r.events.get(1).getChunk());
    assertTrue(r.events.get(1).getChunk().getFinal());
    assertEquals(upstream.jsonBody, p.getOpenaiResponseJson());
    assertEquals(11, r.events.get(2).getUsage().getPromptTokens());
  }

  @Test
  void replayedEnvelopeIsRefusedBeforeDecryption() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), query("llama-free", STREAM), true);
    assertEquals(Status.Code.OK, buyer.infer(s.envelope()).await().getCode());
    TestBuyer.Result again = buyer.infer(s.envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, again.await().getCode());
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, again.detail().getCode());
    assertEquals(1, again.events.size());
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, again.events.get(0).getError().getCode());
    assertEquals(1, upstream.started.get());
  }

  @Test
  void badProofIsRefusedAndTheReplayStoreIsUntouched() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), query("llama-free", STREAM), false);
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.PERMISSION_DENIED, r.await().getCode());
    assertEquals(ErrorCode.PROOF_INVALID, r.detail().getCode());
    assertEquals(List.of("proof"), log);
    assertEquals(0, store.size());
    assertEquals(0, upstream.started.get());
  }

  @Test
  void pricedOfferingIsRefusedAndTheUpstreamUntouched() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Sealed s = buyer.seal(buyer.currentKey(), query("llama-paid", STREAM), true);
    TestBuyer.Result r = buyer.infer(s.envelope());
    assertEquals(Status.Code.FAILED_PRECONDITION, r.await().getCode());
    assertEquals(ErrorCode.PAYMENT_UNSUPPORTED, r.detail().getCode());
    assertTrue(r.events.get(0).hasAccepted());
    assertTrue(r.events.get(0).getAccepted().getMaxRequestCost() > 0);
    assertEquals(ErrorCode.PAYMENT_UNSUPPORTED, r.events.get(1).getError().getCode());
    assertEquals(0, upstream.started.get());
  }

  @Test
  void overloadIsResourceExhausted() throws Exception {
    start(1, Duration.ofMinutes(15));
    upstream.mode = FakeOpenAiServer.Mode.ENDLESS;
    VerifiedKeyAnnouncement key = buyer.currentKey();
    CountDownLatch firstChunk = new CountDownLatch(1);
    TestBuyer.Result first =
        buyer.infer(BuyerFrame.newBuilder().setEnvelope(buyer.seal(key, query("llama-free", STREAM), true).envelope()).build(), 0,
            e -> {
              if (e.hasChunk()) {
                firstChunk.countDown();
              }
            });
    assertTrue(firstChunk.await(10, TimeUnit.SECONDS));
    TestBuyer.Result second = buyer.infer(buyer.seal(key, query("llama-free", STREAM), true).envelope());
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, second.await().getCode());
    assertEquals(ErrorCode.OVERLOADED, second.detail().getCode());
    assertTrue(second.detail().getRetryable());
    // The refused envelope's nullifier was not consumed.
    assertEquals(1, store.size());
    first.cancelRpc();
    upstream.cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void buyerCancellingTheRpcCancelsTheUpstream() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Result r = endlessStreamAfterChunks(3);
    r.cancelRpc();
    upstream.cancelled.get(10, TimeUnit.SECONDS);
    assertEquals(1, upstream.cancellations.get());
    waitFor(() -> node.load().inFlight() == 0);
  }

  @Test
  void cancelFrameCancelsTheUpstreamAndEndsWithCancelled() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Result r = endlessStreamAfterChunks(2);
    r.send(BuyerFrame.newBuilder().setCancel(Cancel.newBuilder().setReason("enough")).build());
    assertEquals(Status.Code.CANCELLED, r.await().getCode());
    assertEquals(ErrorCode.CANCELLED, r.detail().getCode());
    assertTrue(r.events.get(r.events.size() - 1).hasError());
    upstream.cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void floodingPaymentFramesEndsTheStream() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Result r = endlessStreamAfterChunks(1);
    for (int i = 0; i <= InferCall.MAX_PAYMENT_FRAMES; i++) {
      r.send(BuyerFrame.newBuilder().setPayment(PaymentAuthorization.getDefaultInstance()).build());
    }
    assertEquals(Status.Code.INVALID_ARGUMENT, r.await().getCode());
    assertEquals(ErrorCode.LIMIT_EXCEEDED, r.detail().getCode());
    upstream.cancelled.get(10, TimeUnit.SECONDS);
  }

  @Test
  void deadlineCancelsTheUpstream() throws Exception {
    start(4, Duration.ofMinutes(15));
    upstream.mode = FakeOpenAiServer.Mode.ENDLESS;
    TestBuyer.Result r =
        buyer.infer(BuyerFrame.newBuilder().setEnvelope(buyer.seal(buyer.currentKey(), query("llama-free", STREAM), true).envelope()).build(),
            700, null);
    assertEquals(Status.Code.DEADLINE_EXCEEDED, r.await().getCode());
    upstream.cancelled.get(10, TimeUnit.SECONDS);
    waitFor(() -> node.load().inFlight() == 0);
  }

  @Test
  void firstFrameMustBeTheEnvelope() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Result r = buyer.infer(BuyerFrame.newBuilder().setPayment(PaymentAuthorization.getDefaultInstance()).build(), 0, null);
    assertEquals(Status.Code.INVALID_ARGUMENT, r.await().getCode());
    assertEquals(ErrorCode.INVALID_ARGUMENT, r.detail().getCode());
    TestBuyer.Result empty = buyer.infer(BuyerFrame.getDefaultInstance(), 0, null);
    assertEquals(Status.Code.INVALID_ARGUMENT, empty.await().getCode());
  }

  @Test
  void upstreamErrorIsUnavailable() throws Exception {
    start(4, Duration.ofMinutes(15));
    upstream.mode = FakeOpenAiServer.Mode.ERROR;
    upstream.errorStatus = 500;
    TestBuyer.Result r = buyer.infer(buyer.seal(buyer.currentKey(), query("llama-free", STREAM), true).envelope());
    assertEquals(Status.Code.UNAVAILABLE, r.await().getCode());
    assertEquals(ErrorCode.UPSTREAM_ERROR, r.detail().getCode());
    assertTrue(r.detail().getRetryable());
    assertEquals(1, node.load().snapshot().getRecentRequests());
    assertEquals(1.0, node.load().snapshot().getErrorRate());
  }

  @Test
  void rotatedKeysStayUsableForTheGracePeriodThenFail() throws Exception {
    start(4, Duration.ofMinutes(15));
    VerifiedKeyAnnouncement old = buyer.currentKey();
    node.rotateKeys();
    SellerInfo info = buyer.info();
    assertEquals(2, info.getEncryptionKeysCount());
    VerifiedKeyAnnouncement current = buyer.verify(info.getEncryptionKeys(0));
    assertFalse(current.keyId().equals(old.keyId()));
    assertEquals(old.keyId(), buyer.verify(info.getEncryptionKeys(1)).keyId());
    // An envelope to the previous key still opens during the grace period.
    assertEquals(Status.Code.OK, buyer.infer(buyer.seal(old, query("llama-free", STREAM), true).envelope()).await().getCode());
    assertEquals(Status.Code.OK, buyer.infer(buyer.seal(current, query("llama-free", STREAM), true).envelope()).await().getCode());
  }

  @Test
  void withoutGraceTheOldKeyIsErasedAtRotation() throws Exception {
    start(4, Duration.ZERO);
    VerifiedKeyAnnouncement old = buyer.currentKey();
    node.rotateKeys();
    assertEquals(1, buyer.info().getEncryptionKeysCount());
    TestBuyer.Result r = buyer.infer(buyer.seal(old, query("llama-free", STREAM), true).envelope());
    assertEquals(Status.Code.FAILED_PRECONDITION, r.await().getCode());
    assertEquals(ErrorCode.UNKNOWN_SELLER_KEY, r.detail().getCode());
  }

  @Test
  void closeDrainsThenCancelsWithShuttingDown() throws Exception {
    start(4, Duration.ofMinutes(15));
    TestBuyer.Result r = endlessStreamAfterChunks(1);
    node.close();
    assertEquals(Status.Code.UNAVAILABLE, r.await().getCode());
    assertEquals(ErrorCode.SHUTTING_DOWN, r.detail().getCode());
    upstream.cancelled.get(10, TimeUnit.SECONDS);
    assertThrows(IllegalStateException.class, () -> node.keys().currentAnnouncement());
  }

  static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!cond.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(cond.getAsBoolean());
  }
}
