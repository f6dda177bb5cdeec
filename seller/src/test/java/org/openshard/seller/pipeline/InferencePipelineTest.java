package org.openshard.seller.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.PaymentAuthorization;
import org.openshard.proto.v1.PaymentRequired;
import org.openshard.proto.v1.Receipt;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.StreamPayload;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.testkit.FakeEnvelopes;
import org.openshard.seller.testkit.MemoryNullifierStore;
import org.openshard.seller.testkit.RecordingSink;
import org.openshard.seller.testkit.ScriptedUpstream;
import org.openshard.payments.receipts.Receipts;

class InferencePipelineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Clock clock = Clock.systemUTC();
  private final Secp256k1PrivateKey identity = Secp256k1PrivateKey.generate();
  private final String sellerId = identity.publicKey().ethereumAddress();
  private final List<String> log = FakeEnvelopes.log();
  private final MemoryNullifierStore store = new MemoryNullifierStore(log);
  private final ScriptedUpstream upstream = new ScriptedUpstream(log);
  private final List<RequestRecord> records = new CopyOnWriteArrayList<>();

  static final Offering FREE =
      Offering.builder().id("free").serviceId("llama-free").upstreamModel("meta/llama-up").build();
  static final Offering PRICED =
      Offering.builder().id("paid").serviceId("llama-paid").upstreamModel("meta/llama-up").inputPricePerMillion(100).outputPricePerMillion(200).build();

  private PaymentGate loggingGate(PaymentGate inner) {
    return ctx -> {
      log.add("payment");
      return inner.authorize(ctx);
    };
  }

  private InferencePipeline pipeline(PaymentGate gate) {
    return InferencePipeline.builder()
        .proofCheck(FakeEnvelopes.proofCheck(log))
        .nullifierStore(store)
        .decryptor(FakeEnvelopes.decryptor(log))
        .paymentGate(loggingGate(gate))
        .upstream(upstream)
        .offerings(List.of(FREE, PRICED))
        .receipts(new ReceiptIssuer(identity, clock))
        .observer(records::add)
        .clock(clock)
        .build();
  }

  private static SealedQuery query(String service, String json) {
    return SealedQuery.newBuilder().setServiceId(service).setOpenaiRequestJson(json).build();
  }

  static final PaymentConversation NO_PAYMENTS =
      new PaymentConversation() {
        @Override
        public List<PaymentAuthorization> received() {
          return List.of();
        }

        @Override
        public PaymentAuthorization request(PaymentRequired required, Duration timeout) throws StageException {
          throw StageException.of(ErrorCode.PAYMENT_REQUIRED, "no payment");
        }
      };

  private SellerEvent run(InferencePipeline p, FakeEnvelopes.Built b, RecordingSink sink) throws Exception {
    p.newRun(b.envelope(), sink, NO_PAYMENTS, null).execute();
    return sink.done.get(10, TimeUnit.SECONDS);
  }

  private static final String STREAM_REQ =
      "{\"model\":\"llama-free\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  @Test
  void happyPathRunsStagesInOrderAndSignsAReceipt() throws Exception {
    upstream.chunks(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}"));
    FakeEnvelopes.Built b = FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock);
    RecordingSink sink = new RecordingSink(log);
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()), b, sink);

    assertTrue(last.hasReceipt(), last.toString());
    assertEquals(List.of("proof", "claim", "decrypt", "accepted", "payment", "upstream"), log);

    // Event order: accepted, 3 chunks + empty final chunk, usage, receipt.
    List<SellerEvent> ev = sink.events;
    assertTrue(ev.get(0).hasAccepted());
    assertEquals("free", ev.get(0).getAccepted().getOfferingId());
    assertEquals(ByteString.copyFrom(Hashes.sha256(b.envelope().getZkProof().getKeyImage().toByteArray())),
        ev.get(0).getAccepted().getNullifierHash());
    assertEquals(0, ev.get(0).getAccepted().getMaxRequestCost());
    ByteArrayOutputStream cts = new ByteArrayOutputStream();
    for (int i = 0; i < 4; i++) {
      assertTrue(ev.get(1 + i).hasChunk());
      assertEquals(i, ev.get(1 + i).getChunk().getSequence());
      assertEquals(i == 3, ev.get(1 + i).getChunk().getFinal());
      StreamPayload p = b.open(ev.get(1 + i).getChunk());
      if (i < 3) {
        assertEquals("{\"n\":" + i + "}", p.getOpenaiChunkJson());
      } else {
        assertEquals(StreamPayload.PayloadCase.PAYLOAD_NOT_SET, p.getPayloadCase());
      }
      cts.write(ev.get(1 + i).getChunk().getCiphertext().toByteArray());
    }
    assertEquals(5, ev.get(5).getUsage().getPromptTokens());
    assertEquals(7, ev.size());

    Receipt r = Receipt.parseFrom(last.getReceipt().getReceipt());
    assertEquals(sellerId, IdentitySignatures.recoverAddress(
        Receipts.CONTEXT, last.getReceipt().getReceipt().toByteArray(), last.getReceipt().getSignature().toByteArray()));
    assertEquals(sellerId, r.getSellerId());
    assertEquals(0, r.getAmountCharged());
    assertEquals("free", r.getOfferingId());
    assertEquals(16, r.getReceiptId().size());
    assertArrayEquals(Hashes.sha256(b.envelope().getHeader().getSessionId().toByteArray(),
        b.envelope().getEncryptedQuery().toByteArray()), r.getRequestHash().toByteArray());
    assertArrayEquals(Hashes.sha256(cts.toByteArray()), r.getResponseHash().toByteArray());
    assertEquals(5, r.getUsage().getPromptTokens());

    // The upstream got the offering's model.
    assertEquals("meta/llama-up", upstream.requests().get(0).upstreamModel());
    JsonNode sent = JSON.readTree(upstream.requests().get(0).request().upstreamBody("meta/llama-up"));
    assertEquals("meta/llama-up", sent.get("model").asText());

    assertEquals(1, records.size());
    assertTrue(records.get(0).ok());
    assertEquals("free", records.get(0).offeringId());
    assertEquals(NullifierId.of(b.envelope().getZkProof().getKeyImage()).hashHex(), records.get(0).nullifierHash());
    assertTrue(records.get(0).timeToFirstToken() != null);
  }

  @Test
  void nonStreamingSendsOneFinalChunk() throws Exception {
    FakeEnvelopes.Built b = FakeEnvelopes.envelope(sellerId, query("llama-free", "{\"model\":\"x\",\"messages\":[]}"), clock);
    RecordingSink sink = new RecordingSink(log);
    assertTrue(run(pipeline(new FreeOfferingsOnly()), b, sink).hasReceipt());
    List<SellerEvent> ev = sink.events;
    assertTrue(ev.get(1).getChunk().getFinal());
    assertEquals(0, ev.get(1).getChunk().getSequence());
    assertEquals("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}", b.open(ev.get(1).getChunk()).getOpenaiResponseJson());
    assertTrue(ev.get(2).hasUsage());
    assertTrue(ev.get(3).hasReceipt());
  }

  @Test
  void invalidProofNeverTouchesTheReplayStore() throws Exception {
    FakeEnvelopes.Built b =
        FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock, SecureRandoms.bytes(33), false);
    RecordingSink sink = new RecordingSink(log);
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()), b, sink);
    assertEquals(ErrorCode.PROOF_INVALID, last.getError().getCode());
    assertEquals(List.of("proof"), log);
    assertEquals(0, store.size());
    assertEquals(1, sink.events.size());
    assertEquals("proof_invalid", records.get(0).outcome());
    assertFalse(records.get(0).sellerFault());
  }

  @Test
  void replayedNullifierNeverReachesDecryption() throws Exception {
    byte[] keyImage = SecureRandoms.bytes(33);
    InferencePipeline p = pipeline(new FreeOfferingsOnly());
    FakeEnvelopes.Built first = FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock, keyImage, true);
    assertTrue(run(p, first, new RecordingSink(log)).hasReceipt());
    log.clear();
    FakeEnvelopes.Built replay = FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock, keyImage, true);
    SellerEvent last = run(p, replay, new RecordingSink(log));
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, last.getError().getCode());
    assertEquals(List.of("proof", "claim"), log);
    assertEquals(1, upstream.requests().size());
  }

  @Test
  void unreachableStoreFailsClosedBeforeDecryption() throws Exception {
    store.setDown(true);
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock), new RecordingSink(log));
    assertEquals(ErrorCode.STORE_UNAVAILABLE, last.getError().getCode());
    assertTrue(last.getError().getRetryable());
    assertEquals(List.of("proof", "claim"), log);
    assertTrue(records.get(0).sellerFault());
  }

  @Test
  void pricedOfferingIsRefusedAndNothingReachesTheUpstream() throws Exception {
    RecordingSink sink = new RecordingSink(log);
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("llama-paid", STREAM_REQ), clock), sink);
    assertEquals(ErrorCode.PAYMENT_UNSUPPORTED, last.getError().getCode());
    assertTrue(last.getError().getMessage().contains("priced"), last.getError().getMessage());
    assertEquals(List.of("proof", "claim", "decrypt", "accepted", "payment"), log);
    assertTrue(upstream.requests().isEmpty());
    assertTrue(sink.events.get(0).getAccepted().getMaxRequestCost() > 0);
  }

  @Test
  void anyPaymentRefusalKeepsTheUpstreamUntouched() throws Exception {
    PaymentGate refuse = ctx -> {
      throw StageException.of(ErrorCode.PAYMENT_REQUIRED, "pay first");
    };
    SellerEvent last = run(pipeline(refuse), FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock), new RecordingSink(log));
    assertEquals(ErrorCode.PAYMENT_REQUIRED, last.getError().getCode());
    assertTrue(upstream.requests().isEmpty());
    assertFalse(log.contains("upstream"));
  }

  @Test
  void undecryptableQueryStopsBeforePayment() throws Exception {
    FakeEnvelopes.Built b = FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock);
    byte[] eq = b.envelope().getEncryptedQuery().toByteArray();
    eq[eq.length - 1] ^= 1;
    FakeEnvelopes.Built tampered =
        new FakeEnvelopes.Built(b.envelope().toBuilder().setEncryptedQuery(ByteString.copyFrom(eq)).build(), b.sessionKey());
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()), tampered, new RecordingSink(log));
    assertEquals(ErrorCode.DECRYPTION_FAILED, last.getError().getCode());
    assertEquals(List.of("proof", "claim", "decrypt"), log);
  }

  @Test
  void unknownServiceAndBadJsonAreTyped() throws Exception {
    SellerEvent a = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("nope", STREAM_REQ), clock), new RecordingSink(log));
    assertEquals(ErrorCode.UNKNOWN_SERVICE, a.getError().getCode());
    SellerEvent b = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("llama-free", "[1,2]"), clock), new RecordingSink(log));
    assertEquals(ErrorCode.INVALID_QUERY, b.getError().getCode());
    SellerEvent c = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("llama-free", "{\"a\":1,\"a\":2}"), clock), new RecordingSink(log));
    assertEquals(ErrorCode.INVALID_QUERY, c.getError().getCode());
    assertFalse(log.contains("payment"));
  }

  @Test
  void shapeFailuresHappenBeforeTheProof() throws Exception {
    FakeEnvelopes.Built other =
        FakeEnvelopes.envelope(Secp256k1PrivateKey.generate().publicKey().ethereumAddress(), query("llama-free", STREAM_REQ), clock);
    assertEquals(ErrorCode.UNKNOWN_SELLER_KEY, run(pipeline(new FreeOfferingsOnly()), other, new RecordingSink(log)).getError().getCode());
    FakeEnvelopes.Built old =
        FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), Clock.offset(clock, Duration.ofHours(-1)));
    SellerEvent e = run(pipeline(new FreeOfferingsOnly()), old, new RecordingSink(log));
    assertEquals(ErrorCode.CLOCK_SKEW, e.getError().getCode());
    FakeEnvelopes.Built b = FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock);
    FakeEnvelopes.Built v2 = new FakeEnvelopes.Built(
        b.envelope().toBuilder().setHeader(b.envelope().getHeader().toBuilder().setProtocolVersion(2)).build(), b.sessionKey());
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, run(pipeline(new FreeOfferingsOnly()), v2, new RecordingSink(log)).getError().getCode());
    assertTrue(log.isEmpty(), log.toString());
  }

  @Test
  void upstreamErrorsAreRelayedAndCountAsSellerFaults() throws Exception {
    upstream.failWith(StageException.of(ErrorCode.UPSTREAM_TIMEOUT, "slow"));
    SellerEvent last = run(pipeline(new FreeOfferingsOnly()),
        FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock), new RecordingSink(log));
    assertEquals(ErrorCode.UPSTREAM_TIMEOUT, last.getError().getCode());
    assertTrue(records.get(0).sellerFault());
  }

  @Test
  void cancellingARunningRequestCancelsTheUpstreamOnce() throws Exception {
    upstream.hang();
    RecordingSink sink = new RecordingSink(log);
    InferencePipeline.Run run =
        pipeline(new FreeOfferingsOnly()).newRun(FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock).envelope(), sink, NO_PAYMENTS, null);
    run.execute();
    assertFalse(sink.done.isDone());
    run.cancel(ErrorCode.CANCELLED, "buyer cancelled");
    run.cancel(ErrorCode.CANCELLED, "buyer cancelled");
    assertEquals(ErrorCode.CANCELLED, sink.done.get(5, TimeUnit.SECONDS).getError().getCode());
    assertEquals(1, upstream.cancellations());
    assertEquals(1, records.size());
    assertEquals("cancelled", records.get(0).outcome());
    // Late upstream output after the cancel is dropped.
    run.onChunk("{}");
    run.onComplete(Usage.getDefaultInstance());
    assertEquals(2, sink.events.size());
  }

  @Test
  void cancelBeforeExecutionNeverCallsAnyStage() throws Exception {
    RecordingSink sink = new RecordingSink(log);
    InferencePipeline.Run run =
        pipeline(new FreeOfferingsOnly()).newRun(FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock).envelope(), sink, NO_PAYMENTS, null);
    run.cancel(ErrorCode.CANCELLED, "gone");
    run.execute();
    assertEquals(List.of(), log);
    assertEquals(1, records.size());
  }

  @Test
  void pastDeadlineNeverCallsTheUpstream() throws Exception {
    RecordingSink sink = new RecordingSink(log);
    pipeline(new FreeOfferingsOnly())
        .newRun(FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock).envelope(), sink, NO_PAYMENTS,
            clock.instant().minusMillis(1))
        .execute();
    assertEquals(ErrorCode.DEADLINE_EXCEEDED, sink.done.get(5, TimeUnit.SECONDS).getError().getCode());
    assertTrue(upstream.requests().isEmpty());
  }

  @Test
  void runtimeFailureInAStageIsInternal() throws Exception {
    InferencePipeline p = InferencePipeline.builder()
        .proofCheck(env -> {
          throw new IllegalStateException("boom");
        })
        .nullifierStore(store).decryptor(FakeEnvelopes.decryptor(log)).upstream(upstream)
        .offerings(List.of(FREE)).receipts(new ReceiptIssuer(identity, clock)).build();
    RecordingSink sink = new RecordingSink(log);
    SellerEvent e = run(p, FakeEnvelopes.envelope(sellerId, query("llama-free", STREAM_REQ), clock), sink);
    assertEquals(ErrorCode.INTERNAL, e.getError().getCode());
    assertFalse(e.getError().getMessage().contains("boom"));
    assertEquals(0, store.size());
  }

  @Test
  void requestCostFollowsPay3() throws Exception {
    var req = org.openshard.seller.upstream.OpenAiRequest.parse("{\"model\":\"m\",\"max_tokens\":1000,\"messages\":[]}");
    // PAY-3: prompt = ceil(bytes / 3) + 64 at max(input, cached); completion = max_tokens at output.
    long prompt = (req.utf8Length() + 2) / 3 + 64;
    long expected = (prompt * 100 + 1000 * 200 + 999_999) / 1_000_000;
    assertEquals(expected, RequestCost.max(PRICED, req));
    assertEquals(0, RequestCost.max(FREE, req));
    Offering big = PRICED.toBuilder().inputPricePerMillion(2_000_000).outputPricePerMillion(3_000_000).maxContextTokens(500).build();
    long prompt2 = prompt * 2_000_000;
    assertEquals((prompt2 + 500L * 3_000_000 + 999_999) / 1_000_000, RequestCost.max(big, req));
    var bad = org.openshard.seller.upstream.OpenAiRequest.parse("{\"max_tokens\":-5}");
    assertEquals(ErrorCode.INVALID_QUERY, org.junit.jupiter.api.Assertions.assertThrows(StageException.class, () -> RequestCost.max(PRICED, bad)).code());
    assertEquals(0, RequestCost.max(FREE, bad));
  }

}
