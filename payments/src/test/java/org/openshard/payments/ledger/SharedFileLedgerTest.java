package org.openshard.payments.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.channel.ChannelKey;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.money.Usdc;

class SharedFileLedgerTest {
  @TempDir Path dir;

  @Test
  void twoHandlesOnOneFileSeeEachOthersChanges() throws Exception {
    Path f = dir.resolve("ledger.json");
    SharedFileLedger seller = SharedFileLedger.open(f, Clock.systemUTC(), 60);
    SharedFileLedger buyer = SharedFileLedger.open(f, Clock.systemUTC(), 60);
    WalletKey wallet = WalletKey.generate();
    buyer.mint(wallet.address(), Usdc.parse("10"));
    assertEquals(Usdc.parse("10"), seller.balanceOf(wallet.address()));

    ChannelKey key = ChannelKey.generate();
    EthAddress payee = WalletKey.generate().address();
    ChannelOpenMessage open = new ChannelOpenMessage(ChannelId.random(), key.address(), payee, Usdc.parse("4"),
        buyer.nowUnix() + 3600);
    buyer.open(wallet, open);
    assertTrue(seller.channel(open.channelId()).isPresent(), "the other handle sees the channel");
    assertEquals(Usdc.parse("6"), seller.balanceOf(wallet.address()));
  }

  @Test
  void concurrentMintsAreNeverLost() throws Exception {
    Path f = dir.resolve("ledger.json");
    List<SharedFileLedger> handles = List.of(
        SharedFileLedger.open(f, Clock.systemUTC(), 60), SharedFileLedger.open(f, Clock.systemUTC(), 60));
    EthAddress to = WalletKey.generate().address();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      SharedFileLedger h = handles.get(i % 2);
      fs.add(pool.submit(() -> {
        h.mint(to, Usdc.ofUnits(1));
        return null;
      }));
    }
    for (Future<?> x : fs) {
      x.get(30, TimeUnit.SECONDS);
    }
    pool.shutdownNow();
    assertEquals(Usdc.ofUnits(40), handles.get(0).balanceOf(to));
  }
}
