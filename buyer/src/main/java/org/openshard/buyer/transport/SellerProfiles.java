package org.openshard.buyer.transport;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.ErrorStatuses;
import org.openshard.buyer.envelope.SellerKey;
import org.openshard.buyer.envelope.SellerKeyVerifier;
import org.openshard.buyer.index.SellerListing;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.GetInfoRequest;
import org.openshard.proto.v1.SellerGrpc;
import org.openshard.proto.v1.SellerInfo;
import org.openshard.proto.v1.SignedKeyAnnouncement;

/**
 * Cached, verified {@code Seller.GetInfo} answers. One fetch at a time per seller; a profile is
 * reused for {@code ttl} and while its key is valid, and dropped on demand when the seller says
 * the key or scope is wrong. Every key in the answer is checked against the peer id: an endpoint
 * that is not the registered seller cannot make the buyer encrypt to its key.
 */
public final class SellerProfiles {
  public static final int PROTOCOL_VERSION = 1;

  private final SellerTransport transport;
  private final SellerKeyVerifier keys;
  private final Clock clock;
  private final LongSupplier nanoClock;
  private final long ttlNanos;
  private final long callTimeoutMs;
  private final ConcurrentHashMap<String, CompletableFuture<SellerProfile>> cache = new ConcurrentHashMap<>();

  public SellerProfiles(
      SellerTransport transport, SellerKeyVerifier keys, Clock clock, LongSupplier nanoClock, long ttlMs, long callTimeoutMs) {
    this.transport = Objects.requireNonNull(transport);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.nanoClock = Objects.requireNonNull(nanoClock);
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMs);
    this.callTimeoutMs = callTimeoutMs;
  }

  /** The seller's profile, fetched if absent or stale. Fails with a {@link BuyerException}. */
  public CompletableFuture<SellerProfile> get(SellerListing listing) {
    String id = listing.peerId();
    while (true) {
      CompletableFuture<SellerProfile> f = cache.get(id);
      if (f != null && isUsable(f)) {
        return f;
      }
      CompletableFuture<SellerProfile> fresh = new CompletableFuture<>();
      boolean installed = f == null ? cache.putIfAbsent(id, fresh) == null : cache.replace(id, f, fresh);
      if (installed) {
        fetch(listing, fresh);
        return fresh;
      }
    }
  }

  /** Forgets the cached profile (next request refetches). */
  public void invalidate(String peerId) {
    cache.remove(peerId);
  }

  private boolean isUsable(CompletableFuture<SellerProfile> f) {
    if (!f.isDone()) {
      return true;
    }
    if (f.isCompletedExceptionally()) {
      return false;
    }
    SellerProfile p = f.join();
    return nanoClock.getAsLong() - p.fetchedAtNanos() < ttlNanos && p.key().isValidAt(clock.instant());
  }

  private void fetch(SellerListing listing, CompletableFuture<SellerProfile> out) {
    ListenableFuture<SellerInfo> call;
    try {
      call =
          SellerGrpc.newFutureStub(transport.channel(listing.endpoint()))
              .withDeadlineAfter(callTimeoutMs, TimeUnit.MILLISECONDS)
              .getInfo(GetInfoRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      out.completeExceptionally(BuyerException.retryable(ErrorCode.INTERNAL, "cannot call seller GetInfo: " + e));
      return;
    }
    Futures.addCallback(
        call,
        new FutureCallback<SellerInfo>() {
          @Override
          public void onSuccess(SellerInfo info) {
            try {
              out.complete(verify(listing, info));
            } catch (BuyerException e) {
              out.completeExceptionally(e);
            }
          }

          @Override
          public void onFailure(Throwable t) {
            out.completeExceptionally(ErrorStatuses.fromThrowable(t).withRetryable(true));
          }
        },
        MoreExecutors.directExecutor());
  }

  SellerProfile verify(SellerListing listing, SellerInfo info) throws BuyerException {
    String id = listing.peerId();
    if (!info.getPeerId().equalsIgnoreCase(id)) {
      throw BuyerException.retryable(ErrorCode.UNKNOWN_PEER, "endpoint " + listing.endpoint() + " answers as " + info.getPeerId() + ", not " + id)
          .withMetadata("peer_id", id);
    }
    if (!info.getProtocolVersionsList().contains(PROTOCOL_VERSION)) {
      throw BuyerException.retryable(ErrorCode.UNSUPPORTED_VERSION, "seller does not accept protocol version 1")
          .withMetadata("peer_id", id);
    }
    if (info.getEpochSeconds() <= 0 || info.getSlotsPerEpoch() <= 0) {
      throw BuyerException.retryable(ErrorCode.INVALID_ARGUMENT, "seller info has no nullifier epoch or slots")
          .withMetadata("peer_id", id);
    }
    Instant now = clock.instant();
    SellerKey chosen = null;
    BuyerException lastError = null;
    for (SignedKeyAnnouncement a : info.getEncryptionKeysList()) {
      try {
        SellerKey k = keys.verify(a, id, now);
        if (k.isValidAt(now)) {
          chosen = k;
          break;
        }
      } catch (BuyerException e) {
        lastError = e;
      }
    }
    if (chosen == null && listing.key().isValidAt(now)) {
      chosen = listing.key();
    }
    if (chosen == null) {
      BuyerException e =
          lastError != null
              ? lastError
              : BuyerException.retryable(ErrorCode.SELLER_KEY_EXPIRED, "seller has no encryption key valid now");
      throw e.withRetryable(true).withMetadata("peer_id", id);
    }
    return new SellerProfile(id, chosen, info.getEpochSeconds(), (int) Math.min(Integer.MAX_VALUE, info.getSlotsPerEpoch()), nanoClock.getAsLong());
  }
}
