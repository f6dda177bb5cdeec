package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuyerCommandTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void servesPrivateChatsAnnouncesAndExitsZeroOnSigterm() throws Exception {
    try (org.openshard.registry.RegistryServer registry = Children.fastRegistry();
        org.openshard.echo.EchoServer echo = org.openshard.echo.EchoServer.builder().start();
        org.openshard.seller.SellerNode seller =
            org.openshard.seller.SellerNode.builder()
                .identityKey(org.openshard.crypto.Secp256k1PrivateKey.generate())
                .offerings(java.util.List.of(org.openshard.seller.offering.OfferingFlags.parse("id=echo,service=echo-1,model=echo")))
                .upstream(echo.baseUrl(), null)
                .registries(java.util.List.of(registry.target()))
                .replayCache(org.openshard.credentials.replay.FileReplayCache.open(dir.resolve("replay")))
                .listen(org.openshard.runtime.ListenAddress.loopback(0))
                .build()
                .start()) {
      java.nio.file.Path credential = dir.resolve("buyer.credential");
      java.util.List<String> args =
          java.util.List.of(
              "buyer", "--listen", "127.0.0.1:0", "--registry", registry.target(), "--credential", credential.toString(),
              "--ring-size", "4", "--metrics", "127.0.0.1:0");
      try (org.openshard.testing.ChildProcess p =
          org.openshard.testing.ChildProcess.startJava("org.openshard.cli.Main", args, java.util.Map.of("OPENSHARD_LOG_LEVEL", "DEBUG"))) {
        org.openshard.testing.ChildProcess.Listener grpc = p.awaitListening("buyer", "grpc", 60_000);
        org.openshard.testing.ChildProcess.Listener http = p.awaitListening("buyer", "http", 30_000);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(credential)));
        io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forTarget(grpc.target()).usePlaintext().build();
        try {
          java.util.List<org.openshard.proto.v1.ChatCompletionEvent> events = new java.util.ArrayList<>();
          org.openshard.proto.v1.GatewayGrpc.newBlockingStub(ch)
              .withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
              .chatCompletion(
                  org.openshard.proto.v1.ChatCompletionRequest.newBuilder()
                      .setOpenaiRequestJson("{\"model\":\"echo-1\",\"messages\":[{\"role\":\"user\",\"content\":\"TEAL-HERON-417\"}]}")
                      .build())
              .forEachRemaining(events::add);
          assertEquals("TEAL-HERON-417", events.get(0).getCompletion().getContent());
          assertEquals(seller.peerId(), events.get(1).getSummary().getSellerId());
        } finally {
          ch.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        String m =
            java.net.http.HttpClient.newHttpClient()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.url() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(m.contains("openshard_buyer_requests_total{outcome=\"ok\"} 1.0"), m);
        assertEquals(0, p.terminate(60_000));
        for (String l : p.stderr()) {
          assertTrue(!l.contains("TEAL-HERON"), "prompt in the buyer's log: " + l);
        }
        assertTrue(p.stdout().stream().anyMatch(l -> l.equals("LISTENING buyer grpc://" + grpc.target())), p.stdout().toString());
      }
    }
  }

  private static String[] run(String... args) {
    return InProcessCli.run(args);
  }

  @Test
  void helpDocumentsTheOptionsWithExamples() {
    String[] r = run("buyer", "--help");
    assertEquals("0", r[0]);
    for (String opt : new String[] {"--listen", "--registry", "--credential", "--ring-size", "--max-input-price", "--max-output-price", "--metrics"}) {
      assertTrue(r[1].contains(opt), opt);
    }
    assertTrue(r[1].contains("./openshard buyer --listen"), r[1]);
    assertTrue(run("--help")[1].contains("buyer"));
  }

  @Test
  void theRegistryIsRequired() {
    String[] r = run("buyer", "--listen", "127.0.0.1:0");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("--registry"), r[2]);
  }

  @Test
  void badValuesAreRejectedBeforeStarting() {
    String[] badListen = run("buyer", "--listen", "nope:port", "--registry", "127.0.0.1:1");
    assertEquals("2", badListen[0]);
    assertTrue(badListen[2].contains("bad port"), badListen[2]);
    String[] badRing = run("buyer", "--registry", "127.0.0.1:1", "--ring-size", "65");
    assertEquals("2", badRing[0]);
    assertTrue(badRing[2].contains("ring size"), badRing[2]);
  }
}
