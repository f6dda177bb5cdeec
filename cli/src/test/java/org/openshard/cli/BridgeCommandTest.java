package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.ChildProcess;
import picocli.CommandLine;

class BridgeCommandTest {
  private static final String SELLER = "0x00000000000000000000000000000000000000c3";

  /** Runs {@code openshard bridge args} in this JVM (error paths only: they return before serving). */
  private static Object[] run(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "bridge";
      System.arraycopy(args, 0, all, 1, args.length);
      int code = Main.commandLine().execute(all);
      return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(saved);
    }
  }

  @Test
  void exactlyOneBackendIsRequired() {
    Object[] none = run("--listen", "127.0.0.1:0");
    assertEquals(2, none[0]);
    assertTrue(((String) none[1]).contains("a backend is required: pass --upstream URL"), (String) none[1]);
    assertTrue(((String) none[1]).contains("--buyer HOST:PORT"), (String) none[1]);

    Object[] both = run("--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1/v1", "--buyer", "127.0.0.1:1");
    assertEquals(2, both[0]);
    assertTrue(((String) both[1]).contains("--upstream and --buyer are mutually exclusive"), (String) both[1]);

    Object[] bad = run("--listen", "127.0.0.1:0", "--buyer", "localhost:notaport");
    assertEquals(2, bad[0]);
    assertTrue(((String) bad[1]).contains("bad buyer gateway address 'localhost:notaport'"), (String) bad[1]);

    Object[] inProcess = run("--listen", "127.0.0.1:0", "--buyer", "in-process");
    assertEquals(2, inProcess[0]);
    assertTrue(((String) inProcess[1]).contains("--buyer in-process"), (String) inProcess[1]);
  }

  @Test
  void helpShowsBothBackends() {
    CommandLine bridge = Main.commandLine().getSubcommands().get("bridge");
    String usage = bridge.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(usage.contains("--buyer=HOST:PORT"), usage);
    assertTrue(usage.contains("--upstream=URL"), usage);
    assertTrue(usage.contains("./openshard bridge --listen 127.0.0.1:8080 --buyer 127.0.0.1:7000"), usage);
  }

  /** A minimal Gateway: one completion and a summary; records the pin metadata. */
  static final class TinyGateway extends GatewayGrpc.GatewayImplBase {
    static final Context.Key<String> PEER = Context.key("peer");
    final List<String> pins = new CopyOnWriteArrayList<>();

    @Override
    public void chatCompletion(ChatCompletionRequest req, StreamObserver<ChatCompletionEvent> out) {
      pins.add(String.valueOf(PEER.get()));
      String json =
          "{\"id\":\"chatcmpl-tiny\",\"object\":\"chat.completion\",\"model\":\"m\","
              + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"from the gateway\"}}]}";
      out.onNext(ChatCompletionEvent.newBuilder().setCompletion(ChatCompletion.newBuilder().setOpenaiResponseJson(json)).build());
      out.onNext(
          ChatCompletionEvent.newBuilder()
              .setSummary(RequestSummary.newBuilder().setSellerId(SELLER).setAmountCharged(77).setAttempts(2))
              .build());
      out.onCompleted();
    }
  }

  @Test
  void servesThroughABuyerGatewayInAChildJvm() throws Exception {
    TinyGateway gw = new TinyGateway();
    Metadata.Key<String> pinKey = Metadata.Key.of("x-openshard-peer", Metadata.ASCII_STRING_MARSHALLER);
    ServerInterceptor capture =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
            return Contexts.interceptCall(Context.current().withValue(TinyGateway.PEER, h.get(pinKey)), call, h, next);
          }
        };
    try (GrpcServer server = GrpcServer.builder(ListenAddress.loopback(0)).addService(gw).intercept(capture).start();
        ChildProcess child =
            ChildProcess.startJava(
                "org.openshard.cli.Main", List.of("bridge", "--listen", "127.0.0.1:0", "--buyer", server.target()), Map.of())) {
      ChildProcess.Listener l = child.awaitListening("bridge", "http", 60_000);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(l.url() + "/v1/chat/completions"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .header("X-OpenShard-Peer", SELLER)
                      .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("from the gateway", new ObjectMapper().readTree(r.body()).at("/choices/0/message/content").asText());
      assertEquals(SELLER, r.headers().firstValue("x-openshard-seller").orElse(null));
      assertEquals("77", r.headers().firstValue("x-openshard-amount-charged").orElse(null));
      assertEquals("2", r.headers().firstValue("x-openshard-attempts").orElse(null));
      assertEquals(List.of(SELLER), gw.pins);
      assertEquals(0, child.terminate(30_000));
    }
  }
}
