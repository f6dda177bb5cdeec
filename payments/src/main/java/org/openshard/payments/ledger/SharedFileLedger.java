package org.openshard.payments.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.openshard.payments.ChannelId;
import org.openshard.payments.EthAddress;
import org.openshard.payments.PaymentException;
import org.openshard.payments.PaymentException.Reason;
import org.openshard.payments.eip712.ChannelOpenMessage;
import org.openshard.payments.eip712.SignedVoucher;
import org.openshard.payments.money.Usdc;

/**
 * An {@link InProcessLedger} file shared by several processes on one host ({@code --ledger
 * file:PATH}): every operation takes an exclusive OS lock on {@code PATH.lock}, reloads the file,
 * applies the change (which the in-process ledger writes atomically) and releases the lock. So a
 * seller and a buyer started as separate {@code ./openshard} processes see the same balances and
 * channels. Demo and development only: a real deployment uses {@code --chain-rpc}.
 */
public final class SharedFileLedger implements Ledger {
  private final Path file;
  private final Path lockFile;
  private final Clock clock;
  private final long challengeWindow;
  /** OS file locks are held per process: handles on one file in one JVM also share a local lock. */
  private static final java.util.concurrent.ConcurrentHashMap<Path, ReentrantLock> LOCAL =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ReentrantLock local;

  private SharedFileLedger(Path file, Clock clock, long challengeWindow) {
    this.file = file.toAbsolutePath();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.clock = clock;
    this.challengeWindow = challengeWindow;
    this.local = LOCAL.computeIfAbsent(this.file, k -> new ReentrantLock());
  }

  /** Opens (creating on first change) the shared ledger file. */
  public static SharedFileLedger open(Path file, Clock clock, long challengeWindowSeconds) throws PaymentException {
    SharedFileLedger l = new SharedFileLedger(file, clock, challengeWindowSeconds);
    l.locked(x -> null); // fails early on an unreadable file
    return l;
  }

  private interface Op<T> {
    T apply(InProcessLedger l) throws PaymentException;
  }

  private <T> T locked(Op<T> op) throws PaymentException {
    local.lock();
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      return op.apply(InProcessLedger.open(file, clock, challengeWindow));
    } catch (IOException e) {
      throw new PaymentException(Reason.STORE_UNAVAILABLE, "ledger", "cannot lock the shared ledger file", e);
    } finally {
      local.unlock();
    }
  }

  /** Credits demo funds (see {@link InProcessLedger#mint}). */
  public void mint(EthAddress to, Usdc amount) throws PaymentException {
    locked(l -> {
      l.mint(to, amount);
      return null;
    });
  }

  @Override
  public long chainId() {
    return InProcessLedger.DEFAULT_CHAIN_ID;
  }

  @Override
  public EthAddress escrowContract() {
    return InProcessLedger.DEFAULT_ESCROW;
  }

  @Override
  public EthAddress token() {
    return InProcessLedger.DEFAULT_TOKEN;
  }

  @Override
  public long challengeWindowSeconds() {
    return challengeWindow;
  }

  @Override
  public long nowUnix() {
    return clock.instant().getEpochSecond();
  }

  @Override
  public Optional<LedgerChannel> channel(ChannelId id) throws PaymentException {
    return locked(l -> l.channel(id));
  }

  @Override
  public LedgerChannel open(WalletKey payer, ChannelOpenMessage open) throws PaymentException {
    return locked(l -> l.open(payer, open));
  }

  @Override
  public LedgerChannel topUp(WalletKey payer, ChannelId id, Usdc amount, long newExpiryUnix) throws PaymentException {
    return locked(l -> l.topUp(payer, id, amount, newExpiryUnix));
  }

  @Override
  public Usdc claim(WalletKey submitter, SignedVoucher voucher) throws PaymentException {
    return locked(l -> l.claim(submitter, voucher));
  }

  @Override
  public Usdc withdraw(WalletKey payer, ChannelId id) throws PaymentException {
    return locked(l -> l.withdraw(payer, id));
  }

  @Override
  public Usdc balanceOf(EthAddress owner) throws PaymentException {
    return locked(l -> l.balanceOf(owner));
  }

  @Override
  public void close() {}
}
