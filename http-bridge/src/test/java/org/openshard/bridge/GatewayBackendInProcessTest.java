package org.openshard.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.stream.StreamMessage;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openshard.bridge.backend.BackendException;
import org.openshard.bridge.backend.GatewayBackend;
import org.openshard.bridge.backend.RequestContext;
import org.openshard.bridge.backend.ServingSummary;

/** The backend API directly, over an in-process channel the caller owns (how an in-JVM buyer plugs in). */
class GatewayBackendInProcessTest {
  private static FakeGateway gw;
  private static Server server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    gw = new FakeGateway();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(gw).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    gw.close();
  }

  /** Records what the backend reports. */
  static final class Recorder implements RequestContext.ForwardListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void forwarded(byte[] exactBytes, String target) {
      events.add("forwarded " + target + " " + new String(exactBytes, StandardCharsets.UTF_8));
    }

    @Override
    public void servedBy(String target) {
      events.add("served " + target);
    }
  }

  private static ObjectNode request(String prompt, boolean stream) throws Exception {
    return (ObjectNode)
        BridgeFixture.JSON.readTree(
            "{\"model\":\"echo\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
  }

  @Test
  void completionSummaryAndForwardedBytes() throws Exception {
    try (GatewayBackend backend = GatewayBackend.builder(channel).build()) {
      Recorder rec = new Recorder();
      RequestContext ctx = new RequestContext("rcpt-1", null, false, rec);
      ObjectNode req = request("in process", false);
      ObjectNode resp = backend.chatCompletion(req, ctx).get(10, TimeUnit.SECONDS);
      assertEquals("in process", resp.at("/choices/0/message/content").asText());
      ServingSummary s = ctx.summary().orElseThrow();
      assertEquals(FakeGateway.SELLER, s.sellerId());
      assertEquals("fake-offering", s.offeringId());
      assertEquals(1002, s.amountCharged());
      assertEquals(FakeGateway.RECEIPT, s.sellerReceiptId());
      assertEquals(FakeGateway.NULLIFIER, s.nullifierHash());
      assertEquals(1, s.attempts());
      assertEquals(List.of("forwarded gateway " + req, "served " + FakeGateway.SELLER), rec.events);
      assertEquals("aggregator", backend.serving());
    }
    assertFalse(channel.isShutdown(), "the backend leaves a caller's channel open");
  }

  @Test
  void streamPublishesChunksAndReportsTheSummaryBeforeCompleting() throws Exception {
    try (GatewayBackend backend = GatewayBackend.builder(channel).build()) {
      RequestContext ctx = new RequestContext("rcpt-2", "0x00000000000000000000000000000000000000b2", false, null);
      List<ObjectNode> chunks =
          StreamMessage.of(backend.streamChatCompletion(request("x y z", true), ctx).get(10, TimeUnit.SECONDS))
              .collect()
              .get(10, TimeUnit.SECONDS);
      StringBuilder sb = new StringBuilder();
      chunks.forEach(c -> sb.append(c.at("/choices/0/delta/content").asText("")));
      assertEquals("x y z", sb.toString());
      assertEquals("0x00000000000000000000000000000000000000b2", ctx.summary().orElseThrow().sellerId());
      assertEquals("0x00000000000000000000000000000000000000b2", gw.last().request().getRouting().getPeerId());
    }
  }

  @Test
  void failuresAreBackendExceptions() throws Exception {
    try (GatewayBackend backend = GatewayBackend.builder(channel).build()) {
      ObjectNode req = (ObjectNode) BridgeFixture.JSON.readTree(
          "{\"model\":\"echo\",\"x_fake\":{\"error_code\":\"PINNED_PEER_UNAVAILABLE\"},\"messages\":[]}");
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> backend.chatCompletion(req, RequestContext.of("r")).get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof BackendException, String.valueOf(e.getCause()));
      BackendException b = (BackendException) e.getCause();
      assertEquals(503, b.status());
      assertEquals("pinned_peer_unavailable", b.code());
    }
  }
}
