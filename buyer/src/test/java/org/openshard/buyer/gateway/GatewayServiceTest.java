package org.openshard.buyer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.fakes.FakeSeller;
import org.openshard.buyer.fakes.TestBuyer;
import org.openshard.buyer.index.ModelCatalog;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.ErrorDetail;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;

class GatewayServiceTest {
  private TestBuyer buyer;
  private FakeSeller a;
  private FakeSeller b;
  private GrpcServer server;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    buyer = new TestBuyer();
    a = new FakeSeller("ga-" + System.nanoTime(), List.of(FakeSeller.offering("oa", "m1", 10, 10))).start();
    b = new FakeSeller("gb-" + System.nanoTime(), List.of(FakeSeller.offering("ob", "m1", 20, 20))).start();
    buyer.add(a);
    buyer.add(b);
    server =
        GrpcServer.builder(ListenAddress.loopback(0))
            .addService(new GatewayService(buyer.engine, new ModelCatalog(buyer.index)))
            .intercept(new PeerPin())
            .start();
    channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown(1000);
    a.close();
    b.close();
    buyer.close();
  }

  private static ChatCompletionRequest req(String json) {
    return ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json).build();
  }

  @Test
  void streamsChunksThenOneSummary() {
    List<ChatCompletionEvent> events = new ArrayList<>();
    GatewayGrpc.newBlockingStub(channel).chatCompletion(req(TestBuyer.STREAM)).forEachRemaining(events::add);
    assertEquals(4, events.size());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      assertTrue(events.get(i).hasChunk());
      text.append(events.get(i).getChunk().getContentDelta());
    }
    assertEquals("Hello world", text.toString());
    assertEquals(a.peerId, events.get(3).getSummary().getSellerId());
  }

  @Test
  void nonStreamingGivesOneCompletionThenTheSummary() {
    List<ChatCompletionEvent> events = new ArrayList<>();
    GatewayGrpc.newBlockingStub(channel).chatCompletion(req(TestBuyer.PLAIN)).forEachRemaining(events::add);
    assertEquals(2, events.size());
    assertEquals("Hello world", events.get(0).getCompletion().getContent());
    assertTrue(events.get(1).hasSummary());
  }

  @Test
  void thePeerHeaderPins() {
    Metadata md = new Metadata();
    md.put(PeerPin.KEY, b.peerId);
    GatewayGrpc.GatewayBlockingStub stub =
        GatewayGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    List<ChatCompletionEvent> events = new ArrayList<>();
    stub.chatCompletion(req(TestBuyer.PLAIN)).forEachRemaining(events::add);
    assertEquals(b.peerId, events.get(events.size() - 1).getSummary().getSellerId());
    assertEquals(0, a.envelopes.get());
  }

  @Test
  void failuresCarryAnErrorDetail() {
    Metadata md = new Metadata();
    md.put(PeerPin.KEY, "0x" + "12".repeat(20));
    GatewayGrpc.GatewayBlockingStub stub =
        GatewayGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> stub.chatCompletion(req(TestBuyer.PLAIN)).forEachRemaining(x -> {}));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    ErrorDetail d = ErrorStatuses.detailOf(e).orElseThrow();
    assertEquals(ErrorCode.PINNED_PEER_UNAVAILABLE, d.getCode());
    assertEquals(0, a.envelopes.get() + b.envelopes.get());

    StatusRuntimeException bad =
        assertThrows(StatusRuntimeException.class, () -> GatewayGrpc.newBlockingStub(channel).chatCompletion(req("{}")).forEachRemaining(x -> {}));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    assertEquals("openai_request_json.model", ErrorStatuses.detailOf(bad).orElseThrow().getField());
  }

  @Test
  void listModelsAggregatesTheIndex() {
    ListModelsResponse r = GatewayGrpc.newBlockingStub(channel).listModels(ListModelsRequest.getDefaultInstance());
    assertEquals(1, r.getModelsCount());
    assertEquals("m1", r.getModels(0).getId());
    assertEquals(2, r.getModels(0).getSellerCount());
    assertEquals(10, r.getModels(0).getLowestPrice().getInputPerMillion());
  }

  @Test
  void clientCancellationReachesTheSeller() throws Exception {
    a.behavior = FakeSeller.Behavior.STALL_AFTER_FIRST_CHUNK;
    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
    Iterator<ChatCompletionEvent> it = ctx.call(() -> GatewayGrpc.newBlockingStub(channel).chatCompletion(req(TestBuyer.STREAM)));
    assertTrue(it.next().hasChunk());
    ctx.cancel(null);
    assertTrue(a.cancelSeen.await(5, TimeUnit.SECONDS), "seller saw the cancellation");
    assertEquals(0, b.envelopes.get());
  }
}
