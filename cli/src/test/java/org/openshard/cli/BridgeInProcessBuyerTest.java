package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.credentials.NullifierEpochs;
import org.openshard.credentials.replay.FileReplayCache;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.echo.EchoServer;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.SellerNode;
import org.openshard.seller.offering.OfferingFlags;
import org.openshard.testing.ChildProcess;

/** {@code ./openshard bridge --buyer in-process --registry ...} in a child JVM against a real seller. */
class BridgeInProcessBuyerTest {
  @TempDir Path dir;

  @Test
  void servesThroughABuyerInTheSameJvm() throws Exception {
    try (RegistryServer registry = Children.fastRegistry();
        EchoServer echo = EchoServer.builder().start();
        FileReplayCache replay = FileReplayCache.open(dir.resolve("replay"));
        SellerNode seller =
            SellerNode.builder()
                .identityKey(Secp256k1PrivateKey.generate())
                .offerings(List.of(OfferingFlags.parse("id=echo,service=echo-1,model=echo")))
                .upstream(echo.baseUrl(), null)
                .registries(List.of(registry.target()))
                .replayCache(replay)
                .nullifierEpochs(NullifierEpochs.of(3600, 64))
                .listen(ListenAddress.loopback(0))
                .build()
                .start();
        ChildProcess p =
            ChildProcess.startJava(
                "org.openshard.cli.Main",
                List.of("bridge", "--listen", "127.0.0.1:0", "--buyer", "in-process", "--registry", registry.target(),
                    "--credential", dir.resolve("buyer.credential").toString()),
                Map.of())) {
      p.awaitListening("buyer", "grpc", 60_000);
      ChildProcess.Listener bridge = p.awaitListening("bridge", "http", 60_000);
      HttpResponse<String> r = null;
      for (int i = 0; i < 100; i++) {
        r = HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(bridge.url() + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"echo-1\",\"messages\":[{\"role\":\"user\",\"content\":\"QUIET-FINCH-88\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          break;
        }
        Thread.sleep(100); // the buyer may not have indexed the seller yet
      }
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("QUIET-FINCH-88"), r.body());
      assertEquals(seller.peerId(), r.headers().firstValue("X-OpenShard-Seller").orElse(""));
      assertEquals(0, p.terminate(60_000));
      for (String l : p.stderr()) {
        assertFalse(l.contains("QUIET-FINCH"), "prompt in the log: " + l);
      }
    }
  }
}
