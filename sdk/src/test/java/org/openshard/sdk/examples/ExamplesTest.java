package org.openshard.sdk.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.echo.EchoServer;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.sdk.Network;
import org.openshard.seller.SellerNode;

/** Runs both examples against a loopback registry and an echo upstream (the "your own model server"). */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void sellerInAppServesThePrivateChatExample() throws Exception {
    try (EchoServer echo = EchoServer.builder().listen(ListenAddress.loopback(0)).start();
        RegistryServer registry =
            RegistryServer.builder()
                .listen(ListenAddress.loopback(0))
                .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
                .start();
        Network net = Network.connect(registry.target())) {
      SellerNode seller = SellerInAppExample.start(registry.target(), echo.baseUrl(), "example-model", dir.resolve("seller"));
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (net.discover("example-model").isEmpty()) {
          assertTrue(System.nanoTime() < deadline, "the example seller never appeared in the registry");
          Thread.sleep(50);
        }
        String prompt = "Hello \"OpenShard\" from an example";
        PrivateChatExample.Answer a =
            PrivateChatExample.chat(registry.target(), "example-model", dir.resolve("buyer.credential"), prompt);
        assertEquals(prompt, a.content(), "the echo upstream answers with the prompt");
        assertEquals(seller.peerId(), a.sellerId());
        assertTrue(a.completionTokens() > 0);
        assertTrue(Files.exists(dir.resolve("buyer.credential")));
        assertTrue(echo.stats().requests() >= 1, "the request reached the seller's upstream");
      } finally {
        seller.close();
      }
    }
  }

  @Test
  void jsonEscapingOfThePrompt() {
    assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", PrivateChatExample.json("a\"b\\c\nd\u0001"));
  }
}
