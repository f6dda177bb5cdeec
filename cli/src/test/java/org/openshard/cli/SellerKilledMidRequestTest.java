package org.openshard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.buyer.BuyerConfig;
import org.openshard.buyer.BuyerNode;
import org.openshard.buyer.payments.BuyerPayments;
import org.openshard.echo.EchoServer;
import org.openshard.payments.ChannelId;
import org.openshard.payments.channel.BuyerChannel;
import org.openshard.payments.channel.BuyerPolicy;
import org.openshard.payments.channel.ChannelRecord;
import org.openshard.payments.channel.FileChannelStore;
import org.openshard.payments.channel.Reservation;
import org.openshard.payments.ledger.SharedFileLedger;
import org.openshard.payments.ledger.WalletKey;
import org.openshard.payments.money.Usdc;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.seller.keys.SellerKeyFile;
import org.openshard.testing.ChildProcess;
import org.openshard.testing.Ports;

/**
 * Issue 6, "a seller restart between voucher and charge": a priced request whose voucher the seller
 * accepted and whose maximum cost it reserved is streaming from the upstream when the seller process
 * is killed (SIGKILL: no drain, no settle, no release). A new seller process on the same channel
 * store and ledger then serves the same buyer channel. Rule PAY-16 (docs/protocol.md 9.5): the dead
 * request is never charged, its reservation holds credit for at most the reservation TTL and is then
 * released as credit for later requests; nothing is spent twice.
 */
class SellerKilledMidRequestTest {
  private static final String SERVICE = "echo-1";
  private static final long IN = 1_234_567;
  private static final long OUT = 2_345_679;
  /**
   * The sellers' reservation TTL (must exceed their upstream timeout). Long enough that the kill,
   * the registration expiry, a new seller JVM and one request fit in it on a loaded 2-core machine.
   */
  private static final Duration TTL = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static String body(String prompt) {
    return "{\"model\":\"" + SERVICE + "\",\"stream\":true,\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
  }

  @Test
  void aSellerKilledBetweenVoucherAndChargeLosesNoCreditAndChargesNothingForTheDeadRequest() throws Exception {
    Path ledgerFile = dir.resolve("demo.ledger");
    Path storeDir = dir.resolve("seller.channels");
    Path sellerKey = dir.resolve("seller.key");
    SellerKeyFile.generate().write(sellerKey, false);
    int sellerPort = Ports.free();
    Clock clock = Clock.systemUTC();
    try (RegistryServer registry = Children.fastRegistry();
        // every streamed word waits 150 ms: a 60-word answer is in flight for ~9 s
        EchoServer echo = EchoServer.builder().listen(ListenAddress.loopback(0)).tokenDelay(Duration.ofMillis(150)).start();
        SharedFileLedger buyerLedger = SharedFileLedger.open(ledgerFile, clock, LedgerOptions.FILE_CHALLENGE_WINDOW)) {
      WalletKey wallet = WalletKey.generate();
      buyerLedger.mint(wallet.address(), Usdc.parse("20"));
      List<String> sellerArgs = List.of("seller", "--listen", "127.0.0.1:" + sellerPort, "--registry", registry.target(),
          "--upstream", echo.baseUrl(), "--key", sellerKey.toString(),
          "--offering", "id=paid,service=" + SERVICE + ",model=echo,in=" + IN + ",out=" + OUT,
          "--replay-store", "file:" + dir.resolve("seller.replay"), "--channel-store", "file:" + storeDir,
          "--ledger", "file:" + ledgerFile, "--upstream-timeout", "5s", "--reservation-ttl", TTL.toSeconds() + "s");
      ChildProcess first = Children.openshard(sellerArgs);
      ChildProcess second = null;
      try (BuyerPayments payments = BuyerPayments.open(buyerLedger, wallet, dir.resolve("buyer.channels"), BuyerPolicy.defaults(), clock)) {
        first.awaitListening("seller", "grpc", Children.START_MS);
        BuyerNode buyer = BuyerNode.start(BuyerConfig.builder().registry(registry.target())
            .credentialFile(dir.resolve("buyer.credential")).listen(ListenAddress.loopback(0))
            .readyTimeout(Duration.ofSeconds(30)).payments(payments).build());
        ManagedChannel gateway = Children.channel(buyer.target());
        try {
          Children.awaitSellers(gateway, SERVICE, 1, 30_000);

          // 1. A paid request that completes: opens the channel.
          RequestSummary warm = Children.summary(Children.chat(gateway, body("warm up")));
          assertEquals(Children.expectedCharge(warm.getUsage(), IN, OUT), warm.getAmountCharged());
          assertTrue(warm.getAmountCharged() > 0);
          BuyerChannel channel = payments.channels().channels().get(0);
          ChannelId id = channel.id();
          ChannelRecord afterWarm = record(storeDir, id);
          assertTrue(afterWarm.reservations().isEmpty());

          // 2. A paid request in flight upstream: admitted (voucher accepted, max cost reserved), one chunk streamed.
          Iterator<ChatCompletionEvent> dying = GatewayGrpc.newBlockingStub(gateway).withDeadlineAfter(60, TimeUnit.SECONDS)
              .chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(body(words(60))).build());
          ChatCompletionEvent event;
          do {
            event = dying.next();
            assertTrue(event.hasChunk(), event.toString());
          } while (event.getChunk().getContentDelta().isEmpty());
          assertEquals("w0", event.getChunk().getContentDelta().trim(), "the first word reached the buyer");
          ChannelRecord inFlight = record(storeDir, id);
          assertEquals(1, inFlight.reservations().size(), "the in-flight request holds one reservation");
          Reservation dead = inFlight.reservations().values().iterator().next();
          assertEquals(inFlight.reserved(), dead.amount());
          assertEquals(afterWarm.consumed(), inFlight.consumed(), "nothing charged yet");
          assertTrue(inFlight.authorized().minus(inFlight.consumed()).compareTo(dead.amount()) >= 0, "the reservation is covered");

          // 3. SIGKILL: no drain, no settle, no release.
          first.process().destroyForcibly();
          assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
          assertEquals(137, first.process().exitValue(), "killed by SIGKILL");
          StatusRuntimeException broken = assertThrows(StatusRuntimeException.class, () -> dying.forEachRemaining(e -> {}));
          assertFalse(broken.getStatus().isOk());
          ChannelRecord afterKill = record(storeDir, id);
          assertEquals(inFlight, afterKill, "the dead request left its reservation and nothing else");
          assertEquals(1, payments.receipts().receipts(id).size(), "no receipt for the dead request");
          Children.awaitSellers(gateway, SERVICE, 0, 30_000); // its registration expired

          // 4. A new seller process on the same channel store and ledger.
          second = Children.openshard(sellerArgs);
          second.awaitListening("seller", "grpc", Children.START_MS);
          Children.awaitSellers(gateway, SERVICE, 1, 30_000);

          // 5. The next request on the same channel succeeds at once; the dead reservation is still held (TTL not over).
          RequestSummary next = Children.summary(Children.chat(gateway, body("right after the restart")));
          assertEquals(Children.expectedCharge(next.getUsage(), IN, OUT), next.getAmountCharged());
          assertTrue(next.getAmountCharged() > 0);
          assertEquals(id, payments.channels().channels().get(0).id(), "the same channel");
          ChannelRecord afterNext = record(storeDir, id);
          long heldMs = System.currentTimeMillis() - dead.createdAtMs();
          assertTrue(afterNext.reservations().containsValue(dead),
              "released only after the TTL (PAY-16); " + heldMs + " ms after the reservation, TTL " + TTL.toMillis() + " ms");
          assertEquals(afterWarm.consumed().plus(Usdc.ofUnits(next.getAmountCharged())), afterNext.consumed());
          assertEquals(dead.amount(), afterNext.reserved());
          assertBalanced(payments, id, afterNext);
          // The dead request's voucher authorized exactly its reservation, so the next request needed a
          // new, higher voucher: the old one can never buy fresh credit from the new process's store.
          assertTrue(afterNext.lastSequence() > inFlight.lastSequence());
          assertTrue(afterNext.authorized().greaterThan(inFlight.authorized()));
          try (FileChannelStore s = FileChannelStore.open(storeDir)) {
            assertEquals(org.openshard.payments.PaymentException.Reason.STALE_VOUCHER, assertThrows(
                org.openshard.payments.PaymentException.class, () -> s.acceptVoucher(id, inFlight.latestVoucher())).reason());
          }
          assertEquals(afterNext, record(storeDir, id), "the refused replay changed nothing");

          // 6. After the TTL the next reservation on the channel releases the dead one as credit.
          long wait = dead.createdAtMs() + TTL.toMillis() + 500 - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          RequestSummary later = Children.summary(Children.chat(gateway, body("after the reservation expired")));
          assertEquals(Children.expectedCharge(later.getUsage(), IN, OUT), later.getAmountCharged());
          ChannelRecord end = record(storeDir, id);
          assertTrue(end.reservations().isEmpty(), "no reservation left: " + end.reservations());
          assertTrue(end.reserved().isZero());
          long charged = warm.getAmountCharged() + next.getAmountCharged() + later.getAmountCharged();
          assertEquals(charged, end.consumed().units(), "charged: the three served requests, nothing for the dead one");
          assertEquals(end.authorized().minus(end.consumed()), end.available(), "all unconsumed authorization is credit again");
          assertBalanced(payments, id, end);
          assertTrue(end.lastSequence() >= afterNext.lastSequence());
          assertEquals(3, payments.receipts().receipts(id).size());
        } finally {
          gateway.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          buyer.close();
        }
        assertEquals(0, second.terminate(60_000));
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }

  /** Seller store vs buyer state: same voucher, charges ≤ authorization ≤ deposit, receipts = consumed. */
  private static void assertBalanced(BuyerPayments payments, ChannelId id, ChannelRecord rec) throws Exception {
    BuyerChannel bc = payments.channels().channels().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    assertEquals(bc.cumulative(), rec.authorized(), "the seller holds the buyer's latest voucher");
    assertEquals(bc.sequence(), rec.lastSequence());
    assertTrue(rec.latestVoucher().sameAs(bc.lastVoucher()));
    assertFalse(rec.consumed().plus(rec.reserved()).greaterThan(rec.authorized()), "consumed + reserved ≤ authorized");
    assertFalse(rec.authorized().greaterThan(rec.deposit()), "authorized ≤ deposit");
    assertEquals(payments.receipts().totalCharged(id), rec.consumed(), "the buyer's receipts add up to what was consumed");
  }

  private static ChannelRecord record(Path storeDir, ChannelId id) throws Exception {
    try (FileChannelStore s = FileChannelStore.open(storeDir)) {
      return s.find(id).orElseThrow();
    }
  }

  private static String words(int n) {
    List<String> w = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      w.add("w" + i);
    }
    return String.join(" ", w);
  }
}
