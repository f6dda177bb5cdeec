package org.openshard.buyer.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.testing.Await;
import org.openshard.testing.grpc.RecordingSellerProxy;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerNode;
import org.openshard.buyer.BuyerOptions;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.gateway.PeerPin;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.SecureRandoms;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.proto.v1.BuyerFrame;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.PrivacyEnvelope;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.SellerEvent;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;
import org.slf4j.LoggerFactory;

/**
 * Private inference end to end over loopback sockets: a real registry, two real sellers in front of
 * a real echo upstream (each reached through a recording proxy it advertises), and a buyer node
 * serving the Gateway.
 */
class PrivateInferenceEndToEndTest {
  private static final String SERVICE = "echo-1";

  @TempDir Path dir;
  private EchoServer echo;
  private RegistryServer registry;
  private final List<Seller> sellers = new ArrayList<>();
  private BuyerNode buyer;
  private ManagedChannel gateway;
  private ListAppender<ILoggingEvent> logs;

  /** A seller node and the proxy buyers reach it through. */
  private static final class Seller {
    final RecordingSellerProxy proxy;
    final SellerNode node;
    final FileReplayCache replay;

    Seller(RecordingSellerProxy proxy, SellerNode node, FileReplayCache replay) {
      this.proxy = proxy;
      this.node = node;
      this.replay = replay;
    }
  }

  @BeforeEach
  void start() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs = new ListAppender<>();
    logs.setContext(ctx);
    logs.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);

    echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
    registry =
        RegistryServer.builder()
            .listen(ListenAddress.loopback(0))
            .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
            .start();
    for (int i = 0; i < 2; i++) {
      sellers.add(startSeller("o" + i));
    }
    startBuyer(BuyerOptions.defaults());
  }

  private void startBuyer(BuyerOptions options) throws Exception {
    buyer =
        BuyerNode.start(
            BuyerConfig.builder()
                .registry(registry.target())
                .credentialFile(dir.resolve("buyer.credential"))
                .listen(ListenAddress.loopback(0))
                .readyTimeout(Duration.ofSeconds(20))
                .options(options)
                .build());
    gateway = NettyChannelBuilder.forTarget(buyer.target()).usePlaintext().build();
    Await.until(Duration.ofSeconds(15), () -> sellerCount() == 2, "both sellers in the buyer's index");
  }

  private Seller startSeller(String offeringId) throws Exception {
    RecordingSellerProxy proxy = new RecordingSellerProxy();
    FileReplayCache replay = FileReplayCache.open(dir.resolve(offeringId + ".replay"));
    SellerNode node =
        SellerNode.builder()
            .identityKey(Secp256k1PrivateKey.generate())
            .offerings(
                List.of(Offering.builder().id(offeringId).capability(Offering.Kind.INFERENCE).serviceId(SERVICE).upstreamModel("echo-model").build()))
            .upstream(echo.baseUrl(), null)
            .registries(List.of(registry.target()))
            .replayCache(replay)
            // The default K = 8 sessions per credential per hour would run out in these tests.
            .nullifierEpochs(NullifierEpochs.of(3600, 256))
            .auditLog(dir.resolve(offeringId + ".audit"))
            .listen(ListenAddress.loopback(0))
            .advertise(proxy.target())
            .build()
            .start();
    proxy.forwardTo(node.target());
    return new Seller(proxy, node, replay);
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
      s.node.close();
      s.proxy.close();
      s.replay.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (echo != null) {
      echo.close();
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    ctx.getLogger("org.openshard").setLevel(null);
  }

  private int sellerCount() {
    var r = GatewayGrpc.newBlockingStub(gateway).listModels(ListModelsRequest.getDefaultInstance());
    return r.getModelsCount() == 0 ? 0 : r.getModels(0).getSellerCount();
  }

  private static String body(String prompt, boolean stream) {
    return "{\"model\":\"" + SERVICE + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  private List<ChatCompletionEvent> chat(String json, String pin) {
    GatewayGrpc.GatewayBlockingStub stub = GatewayGrpc.newBlockingStub(gateway).withDeadlineAfter(20, TimeUnit.SECONDS);
    if (pin != null) {
      Metadata md = new Metadata();
      md.put(PeerPin.KEY, pin);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }
    List<ChatCompletionEvent> events = new ArrayList<>();
    stub.chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json).build()).forEachRemaining(events::add);
    return events;
  }

  private static RequestSummary summary(List<ChatCompletionEvent> events) {
    ChatCompletionEvent last = events.get(events.size() - 1);
    assertTrue(last.hasSummary(), "the last event is the summary");
    return last.getSummary();
  }

  private Seller seller(String peerId) {
    for (Seller s : sellers) {
      if (s.node.peerId().equals(peerId)) {
        return s;
      }
    }
    throw new AssertionError("no seller " + peerId);
  }

  @Test
  void streamedChatIsDecryptedAndSummarized() {
    List<ChatCompletionEvent> events = chat(body("the quick brown fox", true), null);
    StringBuilder text = new StringBuilder();
    for (ChatCompletionEvent e : events.subList(0, events.size() - 1)) {
      assertTrue(e.hasChunk());
      text.append(e.getChunk().getContentDelta());
    }
    assertEquals("the quick brown fox", text.toString());
    RequestSummary s = summary(events);
    Seller served = seller(s.getSellerId());
    assertEquals(1, s.getAttempts());
    assertEquals(32, s.getReceiptId().length());
    assertTrue(s.getNullifierHash().matches("[0-9a-f]{64}"), s.getNullifierHash());
    assertEquals(4, s.getUsage().getCompletionTokens());
    assertEquals(served.node.offerings().get(0).id(), s.getOfferingId());
    assertEquals(1, served.proxy.envelopes.size());
    PrivacyEnvelope env = served.proxy.envelopes.get(0);
    assertFalse(env.toString().contains("quick brown"), "the captured envelope does not carry the prompt in the clear");
    assertTrue(env.getBuyerCommitment().getMemberIndicesCount() >= 1);
  }

  @Test
  void nonStreamingChatGivesOneCompletion() {
    List<ChatCompletionEvent> events = chat(body("hello there", false), null);
    assertEquals(2, events.size());
    assertEquals("hello there", events.get(0).getCompletion().getContent());
    assertTrue(events.get(0).getCompletion().getOpenaiResponseJson().contains("chat.completion"));
    assertEquals(2, summary(events).getUsage().getCompletionTokens());
  }

  @Test
  void pinningRoutesToTheNamedPeerAndAnUnknownPinNeverFallsBack() {
    for (Seller target : sellers) {
      for (int i = 0; i < 3; i++) {
        assertEquals(target.node.peerId(), summary(chat(body("pinned", false), target.node.peerId())).getSellerId());
      }
    }
    long before = echo.stats().requests();
    String unknown = "0x" + "ab".repeat(20);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> chat(body("nobody", false), unknown));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    ErrorDetail d = ErrorStatuses.detailOf(e).orElseThrow();
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, d.getCode());
    assertEquals(unknown, d.getMetadataOrThrow("peer_id"));
    assertEquals(before, echo.stats().requests(), "no seller served anything");
    int envelopes = sellers.get(0).proxy.envelopes.size() + sellers.get(1).proxy.envelopes.size();
    int resumed = sellers.get(0).proxy.resumed.size() + sellers.get(1).proxy.resumed.size();
    assertEquals(6, envelopes + resumed);
    assertEquals(2, envelopes, "one envelope per seller; the other requests resumed its session");
  }

  @Test
  void aKilledSellerIsFailedOverAndThenAvoided() {
    Seller a = sellers.get(0);
    Seller b = sellers.get(1);
    // Make the buyer prefer A (lower observed time to first token), deterministically.
    b.proxy.addedLatencyMs = 400; // a wide margin: CPU noise on a loaded 2-core machine must not flip the preference
    for (int i = 0; i < 3; i++) {
      chat(body("warm a", false), a.node.peerId());
      chat(body("warm b", false), b.node.peerId());
    }
    assertEquals(a.node.peerId(), summary(chat(body("before", false), null)).getSellerId());

    a.proxy.kill(); // A crashes: unreachable, still registered and heartbeating.
    RequestSummary first = summary(chat(body("after the crash", true), null));
    assertEquals(b.node.peerId(), first.getSellerId());
    assertEquals(2, first.getAttempts(), "tried A, then B, before the first token");
    List<Integer> attempts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      RequestSummary s = summary(chat(body("request " + i, false), null));
      assertEquals(b.node.peerId(), s.getSellerId());
      attempts.add(s.getAttempts());
    }
    assertEquals(1, (int) attempts.get(attempts.size() - 1), "the circuit breaker stops trying A: " + attempts);

    // B shuts down cleanly (deregisters) and A is still dead: nothing is left.
    b.node.close();
    Await.until(Duration.ofSeconds(15), () -> sellerCount() == 1, "B left the index");
  }

  @Test
  void aCapturedEnvelopeReplayedToTheSellerIsRejected() throws Exception {
    RequestSummary s = summary(chat(body("replay me", false), null));
    Seller served = seller(s.getSellerId());
    PrivacyEnvelope captured = served.proxy.envelopes.get(0);
    List<SellerEvent> events = sendDirect(served, BuyerFrame.newBuilder().setEnvelope(captured).build());
    assertEquals(ErrorCode.NULLIFIER_REPLAYED, errorOf(events));
    assertFalse(events.stream().anyMatch(SellerEvent::hasChunk), "nothing served to the replay");
    assertEquals(1, served.replay.size());
  }

  @Test
  void laterRequestsResumeTheSessionAndACapturedResumedRequestIsRejected() throws Exception {
    Seller target = sellers.get(0);
    List<RequestSummary> done = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      done.add(summary(chat(body("resume " + i, i % 2 == 0), target.node.peerId())));
    }
    assertEquals(1, target.proxy.envelopes.size(), "one envelope opened the session");
    assertEquals(3, target.proxy.resumed.size(), "the next three requests resumed it");
    assertEquals(1, target.replay.size(), "one nullifier spent");
    for (RequestSummary r : done) {
      assertEquals(done.get(0).getNullifierHash(), r.getNullifierHash());
      assertFalse(r.getReceiptId().isEmpty(), "every resumed request has a verified receipt");
    }
    List<Long> numbers = new ArrayList<>();
    for (var r : target.proxy.resumed) {
      numbers.add(r.getRequestNumber());
      assertEquals(target.proxy.resumed.get(0).getTicket(), r.getTicket());
    }
    assertEquals(List.of(1L, 2L, 3L), numbers);

    long served = echo.stats().requests();
    List<SellerEvent> events = sendDirect(target, BuyerFrame.newBuilder().setResume(target.proxy.resumed.get(1)).build());
    assertEquals(ErrorCode.SESSION_REQUEST_REPLAYED, errorOf(events));
    assertFalse(events.stream().anyMatch(SellerEvent::hasChunk), "nothing served to the replay");
    assertEquals(served, echo.stats().requests(), "the replay never reached the upstream");
  }

  @Test
  void aTicketTheSellerDoesNotKnowFallsBackToAFreshEnvelopeAtTheSameSeller() {
    Seller target = sellers.get(0);
    summary(chat(body("open", false), target.node.peerId()));
    // The seller no longer knows the ticket (as after a restart): the buyer learns SESSION_UNKNOWN
    // before anything was served and sends a full envelope to the same (pinned) seller.
    target.proxy.tamperFirst =
        f -> f.hasResume()
            ? f.toBuilder().setResume(f.getResume().toBuilder().setTicket(com.google.protobuf.ByteString.copyFrom(new byte[16]))).build()
            : f;
    RequestSummary r = summary(chat(body("after restart", false), target.node.peerId()));
    assertEquals(target.node.peerId(), r.getSellerId());
    assertEquals(1, r.getAttempts());
    assertEquals(2, target.proxy.envelopes.size());
    assertEquals(1, target.proxy.resumed.size());
    assertTrue(target.proxy.errors.stream().anyMatch(d -> d.getCode() == ErrorCode.SESSION_UNKNOWN));
    target.proxy.tamperFirst = java.util.function.UnaryOperator.identity();
    summary(chat(body("resumes the new session", false), target.node.peerId()));
    assertEquals(2, target.proxy.envelopes.size());
    assertEquals(2, target.proxy.resumed.size());
    assertNotEquals(target.proxy.resumed.get(0).getTicket(), target.proxy.resumed.get(1).getTicket());
  }

  /** Sends one first frame straight to a seller (what an observer replaying a capture can do). */
  private List<SellerEvent> sendDirect(Seller to, BuyerFrame frame) throws Exception {
    ManagedChannel direct = NettyChannelBuilder.forTarget(to.node.target()).usePlaintext().build();
    try {
      List<SellerEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<Throwable> end = new java.util.concurrent.CompletableFuture<>();
      io.grpc.stub.StreamObserver<BuyerFrame> req =
          SellerGrpc.newStub(direct)
              .infer(
                  new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(SellerEvent ev) {
                      events.add(ev);
                    }

                    @Override
                    public void onError(Throwable t) {
                      events.add(
                          SellerEvent.newBuilder()
                              .setError(ErrorStatuses.detailOf(t).orElse(ErrorDetail.getDefaultInstance()))
                              .build());
                      end.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                      end.complete(null);
                    }
                  });
      req.onNext(frame);
      end.get(10, TimeUnit.SECONDS);
      return events;
    } finally {
      direct.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ErrorCode errorOf(List<SellerEvent> events) {
    return events.stream().filter(SellerEvent::hasError).map(e -> e.getError().getCode()).findFirst().orElse(ErrorCode.ERROR_CODE_UNSPECIFIED);
  }

  @Test
  void cancellingTheGatewayCallCancelsTheUpstream() throws Exception {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      words.append(" w").append(i);
    }
    String json =
        "{\"model\":\"" + SERVICE + "\",\"stream\":true,\"x_echo\":{\"token_delay_ms\":150},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + words.toString().trim() + "\"}]}";
    Context.CancellableContext ctx = Context.current().withCancellation();
    Iterator<ChatCompletionEvent> it =
        ctx.call(() -> GatewayGrpc.newBlockingStub(gateway).chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json).build()));
    assertTrue(it.next().hasChunk());
    long cancelledBefore = echo.stats().streamsCancelled();
    ctx.cancel(null);
    Await.until(Duration.ofSeconds(15), () -> echo.stats().streamsCancelled() > cancelledBefore, "the echo upstream saw the cancellation");
    assertEquals(0, echo.stats().streamsCompleted());
  }

  @Test
  void noRoleLogsThePromptOrTheCompletion() throws Exception {
    String marker = "secret-" + org.openshard.crypto.Bytes.hex(SecureRandoms.bytes(8));
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("org.openshard").setLevel(Level.DEBUG);
    chat(body(marker + " streamed", true), null);
    chat(body(marker + " plain", false), null);
    for (Seller s : sellers) {
      chat(body(marker + " pinned", false), s.node.peerId());
    }
    int checked = 0;
    for (ILoggingEvent e : logs.list) {
      if (e.getLoggerName().startsWith("org.openshard.echo")) {
        continue; // the model server itself, not a market role
      }
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      assertFalse(text.contains(marker), "logged by " + e.getLoggerName() + ": " + text);
      checked++;
    }
    assertTrue(checked > 0, "logs were captured");
    for (Seller s : sellers) {
      Path audit = dir.resolve(s.node.offerings().get(0).id() + ".audit");
      if (Files.exists(audit)) {
        assertFalse(Files.readString(audit).contains(marker), "audit log of " + s.node.peerId());
      }
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("buyer.credential"))));
  }

  @Test
  void withResumptionOffEveryRequestSpendsAFreshNullifier() throws Exception {
    restartBuyer(BuyerOptions.builder().sessionMaxRequests(0).build());
    List<String> hashes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String h = summary(chat(body("n" + i, false), null)).getNullifierHash();
      assertFalse(hashes.contains(h), "nullifier reused");
      hashes.add(h);
    }
    assertNotEquals(hashes.get(0), hashes.get(1));
    assertEquals(0, sellers.get(0).proxy.resumed.size() + sellers.get(1).proxy.resumed.size());
  }

  private void restartBuyer(BuyerOptions options) throws Exception {
    gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    buyer.close();
    startBuyer(options);
  }

}
