package org.openshard.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openshard.proto.v1.ChatCompletionEvent;
import org.openshard.proto.v1.ChatCompletionRequest;
import org.openshard.proto.v1.GatewayGrpc;
import org.openshard.proto.v1.ListModelsRequest;
import org.openshard.proto.v1.RequestSummary;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryServer;
import org.openshard.runtime.ListenAddress;
import org.openshard.testing.ChildProcess;

/** Helpers for end-to-end tests that run {@code openshard} commands as child JVMs. */
final class Children {
  static final long START_MS = 90_000;

  private Children() {}

  /** A registry on a loopback port with 500 ms heartbeats, so that sellers show up quickly. */
  static RegistryServer fastRegistry() throws IOException {
    return RegistryServer.builder()
        .listen(ListenAddress.loopback(0))
        .config(RegistryConfig.builder().heartbeatInterval(Duration.ofMillis(500)).build())
        .start();
  }

  /** {@code java -cp … org.openshard.cli.Main args…}. */
  static ChildProcess openshard(List<String> args) throws java.io.IOException {
    return ChildProcess.startJava("org.openshard.cli.Main", args, Map.of("OPENSHARD_LOG_LEVEL", "INFO"));
  }

  /** Runs a command to completion; returns its exit code (stdout/stderr stay readable on {@code p}). */
  static int runToExit(ChildProcess p, long timeoutMs) throws InterruptedException {
    if (!p.process().waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      p.close();
      throw new AssertionError("command did not exit within " + timeoutMs + " ms; stderr=" + p.stderr());
    }
    // the pump threads may lag the exit by a moment
    Thread.sleep(200);
    return p.process().exitValue();
  }

  /** Waits until the buyer's gateway lists {@code sellers} sellers of {@code service}. */
  static void awaitSellers(ManagedChannel gateway, String service, int sellers, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    int seen = -1;
    while (System.nanoTime() < deadline) {
      var r = GatewayGrpc.newBlockingStub(gateway).withDeadlineAfter(5, TimeUnit.SECONDS)
          .listModels(ListModelsRequest.getDefaultInstance());
      seen = 0;
      for (var m : r.getModelsList()) {
        if (m.getId().equals(service)) {
          seen = m.getSellerCount();
        }
      }
      if (seen == sellers) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the buyer lists " + seen + " sellers of " + service + ", expected " + sellers);
  }

  static ManagedChannel channel(String target) {
    return NettyChannelBuilder.forTarget(target).usePlaintext().build();
  }

  /** One chat completion through the gateway; returns its events (the last is the summary). */
  static List<ChatCompletionEvent> chat(ManagedChannel gateway, String json) {
    List<ChatCompletionEvent> events = new ArrayList<>();
    GatewayGrpc.newBlockingStub(gateway).withDeadlineAfter(60, TimeUnit.SECONDS)
        .chatCompletion(ChatCompletionRequest.newBuilder().setOpenaiRequestJson(json).build())
        .forEachRemaining(events::add);
    return events;
  }

  static RequestSummary summary(List<ChatCompletionEvent> events) {
    ChatCompletionEvent last = events.get(events.size() - 1);
    if (!last.hasSummary()) {
      throw new AssertionError("the last event is not the summary: " + last);
    }
    return last.getSummary();
  }

  /** ceil((fresh_in·in + out·outPrice) / 10^6) (PAY-2), computed independently of the payments module. */
  static long expectedCharge(org.openshard.proto.v1.Usage u, long inPrice, long outPrice) {
    BigInteger num = BigInteger.valueOf(u.getPromptTokens() - u.getCachedPromptTokens()).multiply(BigInteger.valueOf(inPrice))
        .add(BigInteger.valueOf(u.getCompletionTokens()).multiply(BigInteger.valueOf(outPrice)));
    BigInteger[] qr = num.divideAndRemainder(BigInteger.valueOf(1_000_000));
    return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
  }
}
