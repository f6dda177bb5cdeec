package org.openshard.buyer;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openshard.buyer.credential.CredentialService;
import org.openshard.buyer.dispatch.BuyerEngine;
import org.openshard.buyer.dispatch.BuyerMetrics;
import org.openshard.buyer.envelope.AnnouncementVerifier;
import org.openshard.buyer.envelope.NullifierSlots;
import org.openshard.buyer.envelope.ResumedSessions;
import org.openshard.buyer.envelope.SealingEnvelopeFactory;
import org.openshard.buyer.index.ListingVerifier;
import org.openshard.buyer.index.ModelCatalog;
import org.openshard.buyer.index.RegistryWatcher;
import org.openshard.buyer.index.SellerIndex;
import org.openshard.buyer.select.CircuitBreakers;
import org.openshard.buyer.select.InFlight;
import org.openshard.buyer.select.LatencyTracker;
import org.openshard.buyer.select.Selector;
import org.openshard.buyer.transport.GrpcSellerTransport;
import org.openshard.buyer.transport.SellerProfiles;
import org.openshard.crypto.SecureRandoms;
import org.openshard.proto.v1.ErrorCode;

/**
 * Everything a buyer runs, wired together: registry channels and the Watch-fed index, the
 * credential (enrolment and anchor sets), seller channels, and the engine. Shared by {@link
 * BuyerNode} (which serves it over gRPC) and {@link BuyerClient} (which calls it in-process).
 */
final class BuyerRuntime implements AutoCloseable {
  private final List<ManagedChannel> registryChannels;
  private final ScheduledExecutorService scheduler;
  private final GrpcSellerTransport transport;
  private final RegistryWatcher watcher;
  private final CredentialService credential;
  private final SellerIndex index;
  private final BuyerEngine engine;
  private final PrometheusRegistry metricsRegistry;

  private BuyerRuntime(
      List<ManagedChannel> registryChannels,
      ScheduledExecutorService scheduler,
      GrpcSellerTransport transport,
      RegistryWatcher watcher,
      CredentialService credential,
      SellerIndex index,
      BuyerEngine engine,
      PrometheusRegistry metricsRegistry) {
    this.registryChannels = registryChannels;
    this.scheduler = scheduler;
    this.transport = transport;
    this.watcher = watcher;
    this.credential = credential;
    this.index = index;
    this.engine = engine;
    this.metricsRegistry = metricsRegistry;
  }

  /** Starts the runtime and waits (up to the config's ready timeout) until it can serve. */
  static BuyerRuntime start(BuyerConfig config, CredentialService credential) throws BuyerException {
    return start(config, credential, false);
  }

  /**
   * Like {@link #start(BuyerConfig, CredentialService)}; with {@code callbacksOnTransport}, the
   * seller streams' callbacks (decrypting chunks, checking receipts, handing events to the
   * listener) run on the transport threads instead of hopping to gRPC's executor. Only when
   * nothing in them blocks: the listener must not block and there must be no payments (opening a
   * payment channel may wait for the chain).
   */
  static BuyerRuntime start(BuyerConfig config, CredentialService credential, boolean callbacksOnTransport)
      throws BuyerException {
    if (callbacksOnTransport && config.payments() != null) {
      throw new IllegalArgumentException("callbacks on the transport threads need a buyer without payments");
    }
    Clock clock = Clock.systemUTC();
    SecureRandom random = SecureRandoms.get();
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "openshard-buyer-timer");
              t.setDaemon(true);
              return t;
            });
    List<ManagedChannel> registryChannels = new ArrayList<>();
    for (String target : config.registries()) {
      registryChannels.add(NettyChannelBuilder.forTarget(target).usePlaintext().build());
    }
    AnnouncementVerifier keys = new AnnouncementVerifier();
    SellerIndex index = new SellerIndex(new ListingVerifier(keys), clock);
    GrpcSellerTransport transport =
        new GrpcSellerTransport(callbacksOnTransport ? MoreExecutors.directExecutor() : null, 8 * 1024 * 1024);
    List<Channel> channels = new ArrayList<>(registryChannels);
    RegistryWatcher watcher = new RegistryWatcher(channels, index, scheduler, System::nanoTime);
    CircuitBreakers breakers = CircuitBreakers.withDefaults();
    LatencyTracker latency = new LatencyTracker();
    InFlight inFlight = new InFlight();
    PrometheusRegistry metricsRegistry = new PrometheusRegistry();
    BuyerOptions options = config.options();
    SellerProfiles profiles =
        new SellerProfiles(transport, keys, clock, System::nanoTime, options.profileTtlMs(), options.getInfoTimeoutMs());
    BuyerEngine engine =
        BuyerEngine.builder()
            .options(options)
            .selector(new Selector(index, breakers, latency, inFlight, random))
            .discovery(watcher)
            .profiles(profiles)
            .transport(transport)
            .slots(new NullifierSlots(random))
            .envelopes(new SealingEnvelopeFactory(credential, clock))
            .breakers(breakers)
            .latency(latency)
            .inFlight(inFlight)
            .clock(clock)
            .scheduler(scheduler)
            .metrics(new BuyerMetrics(metricsRegistry))
            .payments(config.payments())
            .sessions(
                new ResumedSessions(options.sessionMaxRequests(), Duration.ofMillis(options.sessionMaxAgeMs()), clock))
            .build();
    index.onRemoved(
        gone -> {
          breakers.forget(gone.peerId());
          latency.forget(gone.peerId());
          profiles.invalidate(gone.peerId());
          boolean shared = index.all().stream().anyMatch(l -> l.endpoint().equals(gone.endpoint()));
          if (!shared) {
            transport.release(gone.endpoint());
          }
        });
    BuyerRuntime rt = new BuyerRuntime(registryChannels, scheduler, transport, watcher, credential, index, engine, metricsRegistry);
    watcher.start();
    credential.start(List.copyOf(registryChannels));
    try {
      CompletableFuture.allOf(watcher.firstSnapshot(), credential.ready())
          .get(config.readyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      rt.close();
      String what = !watcher.firstSnapshot().isDone() ? "no Watch snapshot from the registry" : "no anchor set containing this buyer's anchor";
      throw BuyerException.retryable(ErrorCode.NO_SELLER_AVAILABLE, "buyer not ready after " + config.readyTimeout().toSeconds() + " s: " + what);
    } catch (ExecutionException e) {
      rt.close();
      Throwable c = e.getCause();
      throw c instanceof BuyerException ? (BuyerException) c : BuyerException.of(ErrorCode.INTERNAL, "buyer start-up failed: " + c);
    } catch (InterruptedException e) {
      rt.close();
      Thread.currentThread().interrupt();
      throw BuyerException.of(ErrorCode.CANCELLED, "interrupted while starting");
    }
    return rt;
  }

  BuyerEngine engine() {
    return engine;
  }

  SellerIndex index() {
    return index;
  }

  ModelCatalog catalog() {
    return new ModelCatalog(index);
  }

  PrometheusRegistry metricsRegistry() {
    return metricsRegistry;
  }

  @Override
  public void close() {
    watcher.close();
    credential.close();
    transport.close();
    for (ManagedChannel ch : registryChannels) {
      ch.shutdownNow();
    }
    scheduler.shutdownNow();
  }
}
