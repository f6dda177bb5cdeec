package org.openshard.buyer.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.BuyerOptions;
import org.openshard.buyer.envelope.NullifierSlot;
import org.openshard.buyer.fakes.FakeSeller;
import org.openshard.buyer.fakes.FakeSeller.Behavior;
import org.openshard.buyer.fakes.TestBuyer;
import org.openshard.buyer.fakes.TestBuyer.Result;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.RoutingOptions;
import org.openshard.proto.v1.SealedQuery;

class BuyerEngineTest {
  private TestBuyer buyer;
  private FakeSeller cheap;
  private FakeSeller pricey;

  private void setUp(BuyerOptions options) throws Exception {
    buyer = new TestBuyer(options, org.openshard.buyer.dispatch.SellerDiscovery.NONE);
    cheap = new FakeSeller("cheap-" + System.nanoTime(), List.of(FakeSeller.offering("o-cheap", "m1", 100, 200))).start();
    pricey = new FakeSeller("pricey-" + System.nanoTime(), List.of(FakeSeller.offering("o-pricey", "m1", 1000, 2000))).start();
    buyer.add(cheap);
    buyer.add(pricey);
  }

  private void setUp() throws Exception {
    setUp(BuyerOptions.defaults());
  }

  @AfterEach
  void tearDown() {
    if (cheap != null) {
      cheap.close();
    }
    if (pricey != null) {
      pricey.close();
    }
    if (buyer != null) {
      buyer.close();
    }
  }

  @Test
  void streamedChatGoesToTheCheapestSellerAndEndsWithAVerifiedSummary() throws Exception {
    setUp();
    Result r = buyer.run(TestBuyer.STREAM);
    assertNull(r.error, () -> "unexpected error " + r.error);
    assertEquals("Hello world", r.text());
    assertEquals(3, r.chunks.size());
    assertTrue(r.completions.isEmpty());
    assertEquals(cheap.peerId, r.summary.getSellerId());
    assertEquals("o-cheap", r.summary.getOfferingId());
    assertEquals(1, r.summary.getAttempts());
    assertEquals(100, r.summary.getPricing().getInputPerMillion());
    assertEquals(42, r.summary.getAmountCharged());
    assertEquals(32, r.summary.getReceiptId().length());
    assertEquals(3, r.summary.getUsage().getCompletionTokens());
    byte[] keyImage = cheap.received.get(0).getZkProof().getKeyImage().toByteArray();
    assertEquals(Bytes.hex(Hashes.sha256(keyImage)), r.summary.getNullifierHash());
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void theQueryReachesTheSellerUnchangedWithItsServiceId() throws Exception {
    setUp();
    String json = "{\"model\":\"m1\",\"temperature\":0.25,\"tools\":[{\"type\":\"function\"}],\"x-unknown\":{\"a\":[1,2]},\"messages\":[]}";
    Result r = buyer.run(json);
    assertNull(r.error);
    SealedQuery q = cheap.queries.get(0);
    assertEquals(json, q.getOpenaiRequestJson());
    assertEquals("m1", q.getServiceId());
  }

  @Test
  void nonStreamingChatYieldsOneCompletion() throws Exception {
    setUp();
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error);
    assertEquals(1, r.completions.size());
    assertEquals("Hello world", r.completions.get(0).getContent());
    assertTrue(r.chunks.isEmpty());
    assertNotNull(r.summary);
  }

  @Test
  void priceCeilingExcludesSellersAndNoneLeftIsNoSellerAvailable() throws Exception {
    setUp(BuyerOptions.builder().maxInputPrice(50).build());
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.NO_SELLER_AVAILABLE, r.error.code());
    assertEquals(0, cheap.envelopes.get() + pricey.envelopes.get());
  }

  @Test
  void routingCeilingOverridesTheDefault() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    Result r = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setMaxOutputPrice(500).build(), null);
    // Only the cheap seller is within the ceiling; it refuses; the pricey one must not be tried.
    assertEquals(ErrorCode.ALL_SELLERS_FAILED, r.error.code());
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void unknownServiceIsNoSellerAvailable() throws Exception {
    setUp();
    Result r = buyer.run("{\"model\":\"nope\",\"messages\":[]}");
    assertEquals(ErrorCode.NO_SELLER_AVAILABLE, r.error.code());
    assertEquals("nope", r.error.metadata().get("service_id"));
  }

  @Test
  void invalidBodiesFailWithInvalidArgument() throws Exception {
    setUp();
    for (String bad : new String[] {"", "[]", "{\"messages\":[]}", "{\"model\":3}", "{\"model\":\"m1\"", "{\"model\":\"m1\",\"stream\":\"yes\"}"}) {
      Result r = buyer.run(bad);
      assertEquals(ErrorCode.INVALID_ARGUMENT, r.error.code(), bad);
    }
    assertEquals(0, cheap.envelopes.get());
  }

  @Test
  void refusalBeforeTheFirstTokenFailsOverWithANewEnvelopeAndSlot() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    Result r = buyer.run(TestBuyer.STREAM);
    assertNull(r.error, () -> "unexpected " + r.error);
    assertEquals(pricey.peerId, r.summary.getSellerId());
    assertEquals(2, r.summary.getAttempts());
    assertEquals(1, cheap.envelopes.get());
    assertEquals(1, pricey.envelopes.get());
    List<NullifierSlot> slots = buyer.envelopes.slotsUsed;
    assertEquals(2, slots.size());
    assertEquals(cheap.peerId, slots.get(0).sellerId());
    assertEquals(pricey.peerId, slots.get(1).sellerId());
    assertFalse(cheap.received.get(0).getHeader().getSessionId().equals(pricey.received.get(0).getHeader().getSessionId()));
  }

  @Test
  void unreachableSellerFailsOver() throws Exception {
    setUp();
    cheap.kill();
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error, () -> "unexpected " + r.error);
    assertEquals(pricey.peerId, r.summary.getSellerId());
    assertEquals(2, r.summary.getAttempts());
  }

  @Test
  void silentSellerTimesOutAndFailsOver() throws Exception {
    setUp(BuyerOptions.builder().acceptTimeoutMs(300).build());
    cheap.behavior = Behavior.SILENT;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error, () -> "unexpected " + r.error);
    assertEquals(pricey.peerId, r.summary.getSellerId());
    assertTrue(cheap.cancelSeen.await(5, TimeUnit.SECONDS), "the abandoned stream was reset");
  }

  @Test
  void sellerThatClosesWithoutAnsweringFailsOver() throws Exception {
    setUp();
    cheap.behavior = Behavior.CLOSE_EMPTY;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error);
    assertEquals(pricey.peerId, r.summary.getSellerId());
  }

  @Test
  void aFailureAfterTheFirstTokenFailsTheCallAndNothingIsResent() throws Exception {
    setUp();
    cheap.behavior = Behavior.FAIL_AFTER_FIRST_CHUNK;
    Result r = buyer.run(TestBuyer.STREAM);
    assertNotNull(r.error);
    assertEquals(ErrorCode.UPSTREAM_ERROR, r.error.code());
    assertFalse(r.error.retryable());
    assertEquals(1, r.chunks.size());
    assertNull(r.summary);
    assertEquals(0, pricey.envelopes.get(), "never re-sent to another seller after tokens started");
    assertEquals(1, cheap.envelopes.get());
  }

  @Test
  void requestErrorsAreNotRetriedElsewhere() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    cheap.refuseCode = ErrorCode.INVALID_QUERY;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.INVALID_QUERY, r.error.code());
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void whenEverySellerFailsTheCallIsAllSellersFailed() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    pricey.behavior = Behavior.REFUSE;
    pricey.refuseCode = ErrorCode.UPSTREAM_ERROR;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.ALL_SELLERS_FAILED, r.error.code());
    assertTrue(r.error.retryable());
    assertEquals("2", r.error.metadata().get("attempts"));
    assertEquals("UPSTREAM_ERROR", r.error.metadata().get("last_error_code"));
    assertTrue(r.error.getMessage().contains(cheap.peerId) && r.error.getMessage().contains("OVERLOADED"));
  }

  @Test
  void aRetryableRefusalAfterTheDeadlineIsDeadlineExceededNotTheSellersCode() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    cheap.refuseCode = ErrorCode.UNSUPPORTED_VERSION; // the seller's view of the gateway's envelope
    // The deadline runs on a clock of the test's own: it passes while the seller is refusing, so
    // the refusal arrives (no transport timeout) and finds the deadline over.
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    io.grpc.Deadline.Ticker ticker =
        new io.grpc.Deadline.Ticker() {
          @Override
          public long nanoTime() {
            return now.get();
          }
        };
    cheap.beforeRefusing = () -> now.addAndGet(TimeUnit.SECONDS.toNanos(11));
    Result r = buyer.runWithin(TestBuyer.PLAIN, io.grpc.Deadline.after(10, TimeUnit.SECONDS, ticker));
    assertNotNull(r.error);
    // Not INVALID_ARGUMENT (UNSUPPORTED_VERSION's status): the application's request was fine, it
    // ran out of time while sellers refused; the seller's code is kept as the cause.
    assertEquals(ErrorCode.DEADLINE_EXCEEDED, r.error.code());
    assertEquals("UNSUPPORTED_VERSION", r.error.toDetail().getMetadataMap().get("cause_code"));
    assertEquals(cheap.peerId, r.error.toDetail().getMetadataMap().get("peer_id"));
    assertEquals(0, pricey.envelopes.get(), "no seller is tried after the deadline");
  }

  @Test
  void attemptsAreBounded() throws Exception {
    setUp(BuyerOptions.builder().maxAttempts(1).build());
    cheap.behavior = Behavior.REFUSE;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.ALL_SELLERS_FAILED, r.error.code());
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void pinRoutesToTheNamedPeerEvenIfItIsNotTheBest() throws Exception {
    setUp();
    Result viaRouting = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setPeerId(pricey.peerId).build(), null);
    assertEquals(pricey.peerId, viaRouting.summary.getSellerId());
    Result viaHeader = buyer.run(TestBuyer.PLAIN, RoutingOptions.getDefaultInstance(), pricey.peerId.toUpperCase().replace("0X", "0x"));
    assertEquals(pricey.peerId, viaHeader.summary.getSellerId());
    assertEquals(0, cheap.envelopes.get());
  }

  @Test
  void pinToAnUnknownPeerFailsWithoutFallback() throws Exception {
    setUp();
    String unknown = "0x" + "ab".repeat(20);
    Result r = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setPeerId(unknown).build(), null);
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, r.error.code());
    assertEquals(unknown, r.error.metadata().get("peer_id"));
    assertEquals(0, cheap.envelopes.get() + pricey.envelopes.get());
  }

  @Test
  void aFailingPinnedPeerIsNeverReplacedByAnother() throws Exception {
    setUp();
    pricey.behavior = Behavior.REFUSE;
    Result r = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setPeerId(pricey.peerId).build(), null);
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, r.error.code());
    assertEquals("OVERLOADED", r.error.metadata().get("cause_code"));
    assertEquals(1, pricey.envelopes.get());
    assertEquals(0, cheap.envelopes.get());
    pricey.kill();
    Result dead = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setPeerId(pricey.peerId).build(), null);
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, dead.error.code());
    assertEquals(0, cheap.envelopes.get());
  }

  @Test
  void conflictingOrMalformedPinsAreInvalid() throws Exception {
    setUp();
    Result conflict = buyer.run(TestBuyer.PLAIN, RoutingOptions.newBuilder().setPeerId(cheap.peerId).build(), pricey.peerId);
    assertEquals(ErrorCode.INVALID_ARGUMENT, conflict.error.code());
    Result malformed = buyer.run(TestBuyer.PLAIN, RoutingOptions.getDefaultInstance(), "seller-1");
    assertEquals(ErrorCode.INVALID_ARGUMENT, malformed.error.code());
  }

  @Test
  void nullifierSlotsAreNeverReusedAndExhaustionMovesToAnotherSeller() throws Exception {
    setUp();
    cheap.slotsPerEpoch = 3;
    Set<String> scopes = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      Result r = buyer.run(TestBuyer.PLAIN);
      assertNull(r.error, () -> "unexpected " + r.error);
      assertEquals(i < 3 ? cheap.peerId : pricey.peerId, r.summary.getSellerId(), "request " + i);
      assertEquals(1, r.summary.getAttempts());
    }
    for (NullifierSlot s : buyer.envelopes.slotsUsed) {
      assertTrue(scopes.add(s.toString()), "slot reused: " + s);
    }
    assertEquals(5, scopes.size());
  }

  @Test
  void aTamperedReceiptFailsTheCall() throws Exception {
    setUp();
    cheap.behavior = Behavior.BAD_RECEIPT;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.SIGNATURE_INVALID, r.error.code());
    assertNull(r.summary);
  }

  @Test
  void aGapInTheChunkSequenceFailsTheCall() throws Exception {
    setUp();
    cheap.behavior = Behavior.SKIP_SEQUENCE;
    Result r = buyer.run(TestBuyer.STREAM);
    assertEquals(ErrorCode.STREAM_INTEGRITY, r.error.code());
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void aTruncatedStreamFailsTheCall() throws Exception {
    setUp();
    cheap.behavior = Behavior.NO_FINAL;
    Result r = buyer.run(TestBuyer.STREAM);
    assertEquals(ErrorCode.STREAM_INTEGRITY, r.error.code());
    assertNull(r.summary);
  }

  @Test
  void cancellingReachesTheSeller() throws Exception {
    setUp();
    cheap.behavior = Behavior.STALL_AFTER_FIRST_CHUNK;
    Result r = buyer.start(TestBuyer.STREAM);
    r.firstChunk.get(5, TimeUnit.SECONDS);
    r.handle.cancel();
    r.done.get(5, TimeUnit.SECONDS);
    assertEquals(ErrorCode.CANCELLED, r.error.code());
    assertTrue(cheap.cancelSeen.await(5, TimeUnit.SECONDS));
    assertEquals(1, cheap.cancelFrames.get(), "the seller got a Cancel frame");
    assertEquals(0, pricey.envelopes.get());
  }

  @Test
  void replayedNullifierRefusalMovesOn() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    cheap.refuseCode = ErrorCode.NULLIFIER_REPLAYED;
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error);
    assertEquals(pricey.peerId, r.summary.getSellerId());
  }

  @Test
  void aSellerThatDoesNotKnowTheAnchorSetYetIsRetriedOnceAfterAPause() throws Exception {
    setUp();
    cheap.refuseTimes.set(1);
    cheap.refuseCode = ErrorCode.UNKNOWN_ANCHOR_SET;
    long t0 = System.nanoTime();
    Result r = buyer.run(TestBuyer.PLAIN);
    assertNull(r.error, () -> "unexpected " + r.error);
    assertEquals(cheap.peerId, r.summary.getSellerId());
    assertEquals(2, r.summary.getAttempts());
    assertEquals(2, cheap.envelopes.get());
    assertEquals(0, pricey.envelopes.get());
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(ChatExecution.ANCHOR_RETRY_MS));
    // Only once per request: a second refusal moves on.
    cheap.refuseTimes.set(2);
    Result r2 = buyer.run(TestBuyer.PLAIN);
    assertEquals(pricey.peerId, r2.summary.getSellerId());
    assertEquals(3, r2.summary.getAttempts());
  }

  @Test
  void theCircuitBreakerStopsCallsToAFailingSeller() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    cheap.refuseCode = ErrorCode.UPSTREAM_ERROR;
    for (int i = 0; i < 3; i++) {
      Result r = buyer.run(TestBuyer.PLAIN);
      assertEquals(pricey.peerId, r.summary.getSellerId());
    }
    assertEquals(3, cheap.envelopes.get());
    for (int i = 0; i < 5; i++) {
      Result r = buyer.run(TestBuyer.PLAIN);
      assertEquals(pricey.peerId, r.summary.getSellerId());
      assertEquals(1, r.summary.getAttempts());
    }
    assertEquals(3, cheap.envelopes.get(), "no calls while the breaker is open");
  }

  @Test
  void overloadDoesNotOpenTheBreaker() throws Exception {
    setUp();
    cheap.behavior = Behavior.REFUSE;
    for (int i = 0; i < 4; i++) {
      buyer.run(TestBuyer.PLAIN);
    }
    assertEquals(4, cheap.envelopes.get());
  }

  @Test
  void observedLatencyIsRecorded() throws Exception {
    setUp();
    buyer.run(TestBuyer.PLAIN);
    assertTrue(buyer.latency.ewmaMs(cheap.peerId).isPresent());
    assertFalse(buyer.latency.ewmaMs(pricey.peerId).isPresent());
  }

  @Test
  void envelopeFactoryFailuresThatAreNotRetryableFailTheCall() throws Exception {
    setUp();
    buyer.envelopes.failWith = org.openshard.buyer.BuyerException.of(ErrorCode.UNKNOWN_ANCHOR_SET, "no anchor set yet");
    Result r = buyer.run(TestBuyer.PLAIN);
    assertEquals(ErrorCode.UNKNOWN_ANCHOR_SET, r.error.code());
    assertEquals(0, cheap.envelopes.get() + pricey.envelopes.get());
  }
}
