package org.openshard.buyer.fakes;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openshard.buyer.BuyerException;
import org.openshard.buyer.BuyerOptions;
import org.openshard.buyer.ChatHandle;
import org.openshard.buyer.ChatListener;
import org.openshard.buyer.dispatch.BuyerEngine;
import org.openshard.buyer.dispatch.SellerDiscovery;
import org.openshard.buyer.envelope.NullifierSlots;
import org.openshard.buyer.index.ListingVerifier;
import org.openshard.buyer.index.SellerIndex;
import org.openshard.buyer.select.CircuitBreakers;
import org.openshard.buyer.select.InFlight;
import org.openshard.buyer.select.LatencyTracker;
import org.openshard.buyer.select.Selector;
import org.openshard.buyer.transport.SellerProfiles;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.proto.v1.RoutingOptions;

/** A buyer engine over in-process fake sellers, with a directly fed index. */
public final class TestBuyer implements AutoCloseable {
  public final FakeKeys keys = new FakeKeys();
  public final SellerIndex index = new SellerIndex(new ListingVerifier(keys), Clock.systemUTC());
  public final CircuitBreakers breakers;
  public final LatencyTracker latency = new LatencyTracker();
  public final InFlight inFlight = new InFlight();
  public final NullifierSlots slots = new NullifierSlots(new SecureRandom());
  public final FakeEnvelopes envelopes = new FakeEnvelopes();
  public final InProcessTransport transport = new InProcessTransport();
  public final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  public final SellerProfiles profiles;
  public final BuyerEngine engine;

  public TestBuyer(BuyerOptions options, SellerDiscovery discovery) {
    this(options, discovery, CircuitBreakers.withDefaults());
  }

  public TestBuyer(BuyerOptions options, SellerDiscovery discovery, CircuitBreakers breakers) {
    this.breakers = breakers;
    this.profiles = new SellerProfiles(transport, keys, Clock.systemUTC(), System::nanoTime, 30_000, 2_000);
    this.engine =
        BuyerEngine.builder()
            .options(options)
            .selector(new Selector(index, breakers, latency, inFlight, new SecureRandom()))
            .discovery(discovery)
            .profiles(profiles)
            .transport(transport)
            .slots(slots)
            .envelopes(envelopes)
            .breakers(breakers)
            .latency(latency)
            .inFlight(inFlight)
            .scheduler(scheduler)
            .build();
  }

  public TestBuyer() {
    this(BuyerOptions.defaults(), SellerDiscovery.NONE);
  }

  public void add(FakeSeller s) throws BuyerException {
    index.apply(s.listing());
  }

  /** Runs a request to completion and records everything. */
  public Result run(String json, RoutingOptions routing, String pinHeader) throws Exception {
    Result r = new Result();
    r.handle = engine.execute(json, routing, pinHeader, null, r);
    r.done.get(20, TimeUnit.SECONDS);
    return r;
  }

  /** Runs a request with a deadline to completion. */
  public Result runWithin(String json, io.grpc.Deadline deadline) throws Exception {
    Result r = new Result();
    r.handle = engine.execute(json, RoutingOptions.getDefaultInstance(), null, deadline, r);
    r.done.get(20, TimeUnit.SECONDS);
    return r;
  }

  public Result run(String json) throws Exception {
    return run(json, RoutingOptions.getDefaultInstance(), null);
  }

  /** Starts a request without waiting. */
  public Result start(String json) {
    Result r = new Result();
    r.handle = engine.execute(json, RoutingOptions.getDefaultInstance(), null, null, r);
    return r;
  }

  @Override
  public void close() {
    transport.close();
    scheduler.shutdownNow();
  }

  /** What a request produced. */
  public static final class Result implements ChatListener {
    public final List<ChatChunk> chunks = new ArrayList<>();
    public final List<ChatCompletion> completions = new ArrayList<>();
    public volatile RequestSummary summary;
    public volatile BuyerException error;
    public final CompletableFuture<Void> done = new CompletableFuture<>();
    public final CompletableFuture<Void> firstChunk = new CompletableFuture<>();
    public ChatHandle handle;

    @Override
    public synchronized void onChunk(ChatChunk chunk) {
      chunks.add(chunk);
      firstChunk.complete(null);
    }

    @Override
    public synchronized void onCompletion(ChatCompletion completion) {
      completions.add(completion);
    }

    @Override
    public void onSummary(RequestSummary s) {
      summary = s;
      done.complete(null);
    }

    @Override
    public void onError(BuyerException e) {
      error = e;
      done.complete(null);
    }

    public String text() {
      StringBuilder b = new StringBuilder();
      for (ChatChunk c : chunks) {
        b.append(c.getContentDelta());
      }
      return b.toString();
    }
  }

  public static final String STREAM = "{\"model\":\"m1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  public static final String PLAIN = "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
}
