package org.openshard.runtime;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server on real sockets with the standard health service and server reflection, built the
 * same way for every role. Immutable once started.
 */
public final class GrpcServer implements AutoCloseable {
  private final Server server;
  private final HealthStatusManager health;
  private final String host;
  private final java.util.concurrent.atomic.AtomicBoolean terminal = new java.util.concurrent.atomic.AtomicBoolean();

  private GrpcServer(Server server, HealthStatusManager health, String host) {
    this.server = server;
    this.health = health;
    this.host = host;
  }

  public static Builder builder(ListenAddress address) {
    return new Builder(address);
  }

  public int port() {
    return server.getPort();
  }

  public String host() {
    return host;
  }

  /** {@code host:port} as clients dial it. */
  public String target() {
    return ListenAddress.format(host, port());
  }

  /** Marks every service NOT_SERVING (used while draining before shutdown). */
  public void markNotServing() {
    if (terminal.compareAndSet(false, true)) {
      health.enterTerminalState();
    }
  }

  /** Graceful shutdown: stop accepting, wait up to {@code graceMillis} for calls, then force. */
  public void shutdown(long graceMillis) {
    markNotServing();
    server.shutdown();
    try {
      if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(2_000);
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Builder for {@link GrpcServer}. */
  public static final class Builder {
    private final ListenAddress address;
    private final List<ServerServiceDefinition> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private int maxInboundMessageBytes = 4 * 1024 * 1024;
    private String role;
    private boolean directExecutor;

    private Builder(ListenAddress address) {
      this.address = address;
    }

    public Builder addService(BindableService service) {
      services.add(service.bindService());
      return this;
    }

    public Builder addService(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    /** Applied to every service added (first added runs first). */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    public Builder maxInboundMessageBytes(int bytes) {
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /**
     * Runs every call's callbacks on the transport (Netty event loop) threads instead of handing
     * each of them to gRPC's shared executor: one thread hop fewer per message, ready signal and
     * cancellation. Only for servers whose handlers never block and return quickly (they dispatch
     * slow work themselves). The health and reflection services qualify.
     */
    public Builder directExecutor() {
      this.directExecutor = true;
      return this;
    }

    /** If set, {@link #start()} prints {@code LISTENING <role> grpc://host:port}. */
    public Builder announceAs(String role) {
      this.role = role;
      return this;
    }

    public GrpcServer start() throws IOException {
      InetSocketAddress sa = address.toSocketAddress();
      NettyServerBuilder b =
          NettyServerBuilder.forAddress(sa)
              .maxInboundMessageSize(maxInboundMessageBytes)
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true);
      if (directExecutor) {
        b.directExecutor();
      }
      HealthStatusManager health = new HealthStatusManager();
      List<ServerInterceptor> reversed = new ArrayList<>(interceptors);
      java.util.Collections.reverse(reversed);
      for (ServerServiceDefinition s : services) {
        b.addService(reversed.isEmpty() ? s : ServerInterceptors.intercept(s, reversed));
        health.setStatus(s.getServiceDescriptor().getName(), ServingStatus.SERVING);
      }
      health.setStatus("", ServingStatus.SERVING);
      b.addService(health.getHealthService());
      b.addService(ProtoReflectionServiceV1.newInstance());
      Server server = b.build().start();
      GrpcServer gs = new GrpcServer(server, health, address.host());
      if (role != null) {
        Listening.announce(role, "grpc", address.host(), server.getPort());
      }
      return gs;
    }
  }
}
