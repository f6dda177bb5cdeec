package org.openshard.payments.settlement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.payments.ChannelId;
import org.openshard.payments.PaymentException;
import org.openshard.payments.ledger.LedgerChannel;
import org.openshard.payments.money.Usdc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running seller's own settlement (protocol.md 9.3): every {@link Policy#every()} it looks at each
 * channel of the store and claims it with its highest voucher when the unclaimed amount reaches
 * {@link Policy#minClaim()} (a claim costs gas), or whatever the amount once the channel's claim
 * deadline ({@code expiry + challenge window}) is within {@link Policy#deadlineMargin()} — after the
 * deadline the payer may withdraw the rest. Failed claims are logged and tried again next round;
 * {@link SellerSettlement} never re-submits a voucher the ledger already paid. Safe beside the
 * {@code openshard settle} command on the same store.
 */
public final class AutoSettler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoSettler.class);

  /** When to claim. */
  public record Policy(Duration every, Usdc minClaim, Duration deadlineMargin) {
    public Policy {
      Objects.requireNonNull(every, "every");
      Objects.requireNonNull(minClaim, "minClaim");
      Objects.requireNonNull(deadlineMargin, "deadlineMargin");
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("the settlement interval must be positive");
      }
      if (deadlineMargin.isNegative()) {
        throw new IllegalArgumentException("the deadline margin must not be negative");
      }
    }
  }

  /** What one round decided for one channel. */
  public enum Decision {
    /** Claimed: funds moved to the payee. */
    CLAIMED,
    /** The unclaimed amount is below the minimum and the deadline is not near: left for later. */
    DEFERRED,
    /** Nothing to claim: no voucher, or the ledger already paid up to the latest one. */
    NOTHING_TO_CLAIM,
    /** The channel is not on the ledger (never opened there) or closed. */
    NOT_CLAIMABLE,
    /** The claim deadline passed with vouchers unclaimed: the payer may withdraw them (logged once). */
    EXPIRED,
    /** The claim or a ledger read failed; see the log. Tried again next round. */
    FAILED
  }

  /** One channel's line of a round. */
  public record ChannelResult(ChannelId channel, Decision decision, Usdc amount) {}

  private final SellerSettlement settlement;
  private final Policy policy;
  private final java.util.Set<ChannelId> expiredWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scheduler;

  /** Settles {@code settlement}'s store on its ledger by {@code policy}. */
  public AutoSettler(SellerSettlement settlement, Policy policy) {
    this.settlement = Objects.requireNonNull(settlement, "settlement");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Runs {@link #runOnce} every {@code policy.every()}, the first time after one interval. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "openshard-settler");
              t.setDaemon(true);
              return t;
            });
    long ms = policy.every().toMillis();
    scheduler.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.warn("settlement round failed: {}", e.toString());
    }
  }

  /** One pass over every channel of the store; each claim that is due is submitted. */
  public List<ChannelResult> runOnce() {
    List<ChannelResult> out = new ArrayList<>();
    List<ChannelId> ids;
    long now;
    try {
      ids = settlement.store().channelIds();
      now = settlement.ledger().nowUnix();
    } catch (PaymentException e) {
      LOG.warn("settlement round skipped: {} ({})", e.getMessage(), e.reason());
      return out;
    }
    for (ChannelId id : ids) {
      ChannelResult r = settle(id, now);
      out.add(r);
      if (r.decision() == Decision.CLAIMED) {
        LOG.info("settled channel {}: {} USDC base units claimed", id.hex0x(), r.amount().units());
      }
    }
    return out;
  }

  private ChannelResult settle(ChannelId id, long nowUnix) {
    try {
      SellerSettlement.Standing st = settlement.standing(id);
      if (st.voucher().isEmpty()) {
        return new ChannelResult(id, Decision.NOTHING_TO_CLAIM, Usdc.ZERO);
      }
      if (st.onLedger().isEmpty() || st.onLedger().get().closed()) {
        return new ChannelResult(id, Decision.NOT_CLAIMABLE, Usdc.ZERO);
      }
      if (st.nothingToClaim()) {
        return new ChannelResult(id, Decision.NOTHING_TO_CLAIM, Usdc.ZERO);
      }
      LedgerChannel lc = st.onLedger().get();
      Usdc unclaimed = st.voucher().get().message().cumulativeAmount().min(lc.deposit()).saturatingMinus(lc.claimed());
      long deadline = lc.expiryUnix() + settlement.ledger().challengeWindowSeconds();
      if (nowUnix >= deadline) {
        if (expiredWarned.add(id)) {
          LOG.warn("channel {}: the claim deadline passed with {} USDC base units unclaimed", id.hex0x(), unclaimed.units());
        }
        return new ChannelResult(id, Decision.EXPIRED, unclaimed);
      }
      boolean deadlineNear = nowUnix >= deadline - policy.deadlineMargin().toSeconds();
      if (!deadlineNear && unclaimed.lessThan(policy.minClaim())) {
        return new ChannelResult(id, Decision.DEFERRED, unclaimed);
      }
      SellerSettlement.ClaimResult r = settlement.claim(st);
      return r.outcome() == SellerSettlement.Outcome.PAID
          ? new ChannelResult(id, Decision.CLAIMED, r.paid())
          : new ChannelResult(id, Decision.NOTHING_TO_CLAIM, Usdc.ZERO);
    } catch (PaymentException e) {
      if (e.reason() == PaymentException.Reason.UNKNOWN_CHANNEL) {
        return new ChannelResult(id, Decision.NOTHING_TO_CLAIM, Usdc.ZERO); // gone from the store since the listing
      }
      LOG.warn("settling channel {} failed: {} ({})", id.hex0x(), e.getMessage(), e.reason());
      return new ChannelResult(id, Decision.FAILED, Usdc.ZERO);
    }
  }

  /** Stops the schedule; a claim in flight finishes. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }
}
