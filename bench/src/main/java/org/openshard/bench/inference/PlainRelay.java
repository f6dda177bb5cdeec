package org.openshard.bench.inference;

import com.linecorp.armeria.client.WebClient;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openshard.runtime.GrpcServer;
import org.openshard.runtime.ListenAddress;

/**
 * The private path's transport shape without its privacy layer, as a baseline: application →
 * relay A (Gateway service, gRPC) → relay B (Gateway service, gRPC over a real loopback socket) →
 * OpenAI-compatible upstream over HTTP/1.1 (Armeria {@link WebClient}, scheme {@code h1c}).
 *
 * <p>No seller selection, no envelope or encryption, no ring proof, no payment, no receipt. The
 * servers and the channel are built with the settings the real roles use: relay A like the buyer's
 * gateway ({@link GrpcServer} on gRPC's default executor; its channel to B plaintext, 8 MiB
 * inbound limit, keep-alive 30 s, callbacks on the transport threads as a buyer without payments
 * does), relay B like the seller ({@link GrpcServer} with {@code directExecutor}). Flow control:
 * relay B reads the upstream body one piece at a time and asks for the next piece only when its
 * gRPC stream is ready (as the seller does); relay A relies on gRPC's buffering, as the buyer's
 * gateway does (the answers are small). With {@code -Dbench.plainDirect=true} relay A also runs
 * its handlers on the transport threads (the leanest setting; the buyer's gateway does not).
 */
final class PlainRelay implements AutoCloseable {
  private final GrpcServer relayB;
  private final ManagedChannel toB;
  private final GrpcServer relayA;

  private PlainRelay(GrpcServer relayB, ManagedChannel toB, GrpcServer relayA) {
    this.relayB = relayB;
    this.toB = toB;
    this.relayA = relayA;
  }

  /** Starts relay B (towards {@code upstreamBaseUrl}, e.g. {@code http://127.0.0.1:8000/v1}), then relay A. */
  static PlainRelay start(String upstreamBaseUrl) throws IOException {
    URI base = URI.create(upstreamBaseUrl);
    if (!"http".equals(base.getScheme())) {
      throw new IllegalArgumentException("the plain relay speaks h1c only: " + upstreamBaseUrl);
    }
    WebClient web =
        WebClient.builder("h1c://" + base.getRawAuthority())
            .maxResponseLength(64L * 1024 * 1024)
            .responseTimeout(Duration.ofMinutes(5))
            .build();
    String path = (base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "")) + "/chat/completions";
    GrpcServer b =
        GrpcServer.builder(ListenAddress.loopback(0)).addService(new RelayUpstreamService(web, path)).directExecutor().start();
    ManagedChannel ch = null;
    try {
      ch =
          NettyChannelBuilder.forTarget(b.target())
              .usePlaintext()
              .maxInboundMessageSize(8 * 1024 * 1024)
              .keepAliveTime(30, TimeUnit.SECONDS)
              .keepAliveWithoutCalls(false)
              .executor(MoreExecutors.directExecutor())
              .build();
      GrpcServer.Builder ab = GrpcServer.builder(ListenAddress.loopback(0)).addService(new RelayFrontService(ch));
      GrpcServer a = (Boolean.getBoolean("bench.plainDirect") ? ab.directExecutor() : ab).start();
      return new PlainRelay(b, ch, a);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.shutdownNow();
      }
      b.shutdown(0);
      throw e;
    }
  }

  /** {@code host:port} of relay A, the application's entry point. */
  String target() {
    return relayA.target();
  }

  @Override
  public void close() {
    relayA.shutdown(2_000);
    toB.shutdownNow();
    relayB.shutdown(2_000);
  }
}
