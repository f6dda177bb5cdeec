package org.openshard.seller.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.SealedQuery;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.Offering;
import org.openshard.seller.testkit.FakeEnvelopes;
import org.openshard.seller.testkit.FakeOpenAiServer;
import org.openshard.seller.testkit.MemoryNullifierStore;
import org.openshard.seller.testkit.TestBuyer;
import org.slf4j.LoggerFactory;

/**
 * The audit log and every log line written while serving requests never contain the prompt or the
 * completion: requests carry distinctive strings, all logback and java.util.logging output is
 * captured (org.openshard at TRACE), and the strings are searched for.
 */
class AuditPrivacyTest {
  private static final String PROMPT = "PURPLE-ELEPHANT-PROMPT-7781";
  private static final String COMPLETION = "ZEBRA-COMPLETION-4242";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final FakeOpenAiServer upstream = new FakeOpenAiServer();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<String> julLines = new CopyOnWriteArrayList<>();
  private final Handler jul =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          julLines.add(r.getMessage() + " " + (r.getThrown() == null ? "" : r.getThrown().toString()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level previous;

  @BeforeEach
  void capture() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(ctx);
    appender.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    Logger ours = ctx.getLogger("org.openshard");
    previous = ours.getLevel();
    ours.setLevel(Level.TRACE);
    java.util.logging.Logger.getLogger("").addHandler(jul);
  }

  @AfterEach
  void release() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    ctx.getLogger("org.openshard").setLevel(previous);
    java.util.logging.Logger.getLogger("").removeHandler(jul);
    upstream.close();
  }

  private SellerNode node(Path auditFile) throws Exception {
    SellerNode.Builder b =
        SellerNode.builder()
            .identityKey(Secp256k1PrivateKey.generate())
            .offerings(List.of(Offering.builder().id("free").serviceId("svc").upstreamModel("up").build()))
            .upstream(upstream.baseUrl(), null)
            .proofCheck(FakeEnvelopes.proofCheck(FakeEnvelopes.log()))
            .nullifierStore(new MemoryNullifierStore(FakeEnvelopes.log()))
            .drainTimeout(Duration.ofSeconds(2));
    if (auditFile != null) {
      b.auditLog(auditFile);
    }
    return b.build().start();
  }

  private static SealedQuery query(String json) {
    return SealedQuery.newBuilder().setServiceId("svc").setOpenaiRequestJson(json).build();
  }

  /** Runs a streaming success, a non-streaming success, an upstream error that echoes the prompt and a malformed query. */
  private int serveRequests(SellerNode node) throws Exception {
    upstream.streamBody = FakeOpenAiServer.defaultStream(List.of(COMPLETION, " and more"), true);
    upstream.jsonBody = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"" + COMPLETION + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}";
    String msg = "{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}";
    ManagedChannel ch = NettyChannelBuilder.forTarget(node.target()).usePlaintext().build();
    try {
      TestBuyer buyer = new TestBuyer(ch, node.peerId());
      var key = buyer.currentKey();
      upstream.mode = FakeOpenAiServer.Mode.STREAM;
      assertEquals(Status.Code.OK, buyer.infer(buyer.seal(key, query("{\"model\":\"svc\",\"stream\":true,\"messages\":[" + msg + "]}"), true).envelope()).await().getCode());
      upstream.mode = FakeOpenAiServer.Mode.JSON;
      assertEquals(Status.Code.OK, buyer.infer(buyer.seal(key, query("{\"model\":\"svc\",\"messages\":[" + msg + "]}"), true).envelope()).await().getCode());
      upstream.mode = FakeOpenAiServer.Mode.ERROR;
      assertEquals(Status.Code.UNAVAILABLE, buyer.infer(buyer.seal(key, query("{\"model\":\"svc\",\"messages\":[" + msg + "]}"), true).envelope()).await().getCode());
      upstream.mode = FakeOpenAiServer.Mode.STREAM_ERROR;
      assertEquals(Status.Code.UNAVAILABLE, buyer.infer(buyer.seal(key, query("{\"model\":\"svc\",\"stream\":true,\"messages\":[" + msg + "]}"), true).envelope()).await().getCode());
      TestBuyer.Result bad = buyer.infer(buyer.seal(key, query("{\"model\":\"svc\",\"messages\":[" + msg + "] oops"), true).envelope());
      assertEquals(Status.Code.INVALID_ARGUMENT, bad.await().getCode());
      assertFalse(bad.detail().getMessage().contains(PROMPT));
      return 5;
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private List<String> allLogText() {
    List<String> out = new ArrayList<>(julLines);
    for (ILoggingEvent e : appender.list) {
      out.add(e.getLoggerName() + " " + e.getFormattedMessage() + " " + e.getMDCPropertyMap()
          + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    return out;
  }

  private static void assertClean(List<String> lines) {
    for (String l : lines) {
      assertFalse(l.contains(PROMPT), "prompt leaked: " + l);
      assertFalse(l.contains(COMPLETION), "completion leaked: " + l);
      assertFalse(l.contains("PURPLE") || l.contains("ZEBRA"), "content fragment leaked: " + l);
    }
  }

  @Test
  void auditFileHasOneContentFreeLinePerRequest() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    int n;
    try (SellerNode node = node(audit)) {
      n = serveRequests(node);
    }
    List<String> lines = Files.readAllLines(audit);
    assertEquals(n, lines.size(), String.join("\n", lines));
    assertClean(lines);
    assertClean(allLogText());
    List<String> outcomes = new ArrayList<>();
    for (String l : lines) {
      JsonNode j = JSON.readTree(l);
      for (String f : new String[] {"time", "nullifier_hash", "offering", "outcome", "tokens", "amount", "durations_ms"}) {
        assertTrue(j.has(f), f + " missing in " + l);
      }
      assertEquals(64, j.get("nullifier_hash").asText().length());
      outcomes.add(j.get("outcome").asText());
    }
    assertEquals(List.of("ok", "ok", "upstream_error", "upstream_error", "invalid_query"), outcomes);
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals(9, first.get("tokens").get("prompt").asInt());
    assertEquals(2, first.get("tokens").get("cached").asInt());
    assertEquals("free", first.get("offering").asText());
  }

  @Test
  void defaultAuditLoggerIsContentFreeToo() throws Exception {
    try (SellerNode node = node(null)) {
      serveRequests(node);
    }
    List<String> audit = new ArrayList<>();
    for (ILoggingEvent e : appender.list) {
      if (e.getLoggerName().equals(AuditLog.LOGGER)) {
        audit.add(e.getFormattedMessage());
      }
    }
    assertEquals(5, audit.size());
    assertClean(audit);
    assertClean(allLogText());
    assertTrue(appender.list.size() > audit.size(), "other log lines were captured as well");
  }
}
