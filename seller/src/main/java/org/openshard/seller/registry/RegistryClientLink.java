package org.openshard.seller.registry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.GetAnchorSetRequest;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.RegistryGrpc;
import org.openshard.proto.v1.SellerRegistration;
import org.openshard.registry.client.HeartbeatSession;
import org.openshard.registry.client.RegistrationSigner;
import org.openshard.registry.client.RegistryClient;
import org.openshard.seller.credentials.AnchorSets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seller's link to one or more registries ({@link RegistryClient}): signs registrations with
 * the identity key, keeps a heartbeat session per registry, re-registers when the registration
 * changes, and deregisters (signed) on shutdown. Also the source of published anchor sets (the
 * first registry that has the epoch).
 */
public final class RegistryClientLink implements RegistryLink, AnchorSets.Source {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryClientLink.class);
  private static final long RETRY_MS = 5_000;

  private final Secp256k1PrivateKey identity;
  private final Clock clock;
  private final List<Target> targets = new ArrayList<>();
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "seller-registry");
            t.setDaemon(true);
            return t;
          });
  private volatile Supplier<SellerRegistration> registration;
  private volatile Supplier<LoadReport> load;
  private volatile boolean closed;

  private static final class Target {
    final String address;
    final RegistryClient client;
    final io.grpc.ManagedChannel replicaChannel;
    HeartbeatSession session;

    Target(String address, RegistryClient client, io.grpc.ManagedChannel replicaChannel) {
      this.address = address;
      this.client = client;
      this.replicaChannel = replicaChannel;
    }

    void closeClient() {
      client.close();
      if (replicaChannel != null) {
        replicaChannel.shutdownNow();
      }
    }
  }

  /**
   * Connects (lazily, plaintext) to each {@code host:port}. Each entry is one registry, with its own
   * registration and heartbeat session. An entry {@code host:port,host:port[,…]} is one registry
   * run as replicas on a shared Redis store: one session over {@link ReplicaChannel}, which fails
   * over to the next replica when the current one goes away (registering with each replica
   * separately would make them overwrite each other's heartbeat token in the shared store).
   */
  public RegistryClientLink(List<String> registries, Secp256k1PrivateKey identity, Clock clock) {
    if (registries.isEmpty()) {
      throw new IllegalArgumentException("at least one registry is needed");
    }
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (String r : registries) {
      if (ReplicaChannel.isGroup(r)) {
        io.grpc.ManagedChannel ch = ReplicaChannel.open(r);
        targets.add(new Target(r, new RegistryClient(ch), ch));
      } else {
        targets.add(new Target(r, RegistryClient.connect(r), null));
      }
    }
  }

  @Override
  public void start(Supplier<SellerRegistration> registration, Supplier<LoadReport> load) {
    this.registration = registration;
    this.load = load;
    for (Target t : targets) {
      synchronized (t) {
        t.session = t.client.startHeartbeats(this::signed, load);
      }
      LOG.info("registered with the registry at {}", t.address);
    }
  }

  private org.openshard.proto.v1.RegisterRequest signed() {
    return RegistrationSigner.sign(identity, registration.get());
  }

  @Override
  public void refresh() {
    for (Target t : targets) {
      restart(t);
    }
  }

  private void restart(Target t) {
    if (closed || registration == null) {
      return;
    }
    synchronized (t) {
      if (t.session != null) {
        t.session.close();
        t.session = null;
      }
      try {
        t.session = t.client.startHeartbeats(this::signed, load);
      } catch (RuntimeException e) {
        LOG.warn("re-registering with {} failed ({}); retrying in {} ms", t.address, e.toString(), RETRY_MS);
        retries.schedule(() -> restart(t), RETRY_MS, TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public void deregister() {
    for (Target t : targets) {
      synchronized (t) {
        if (t.session != null) {
          t.session.close();
          t.session = null;
        }
      }
      try {
        t.client.deregister(RegistrationSigner.signDeregistration(identity, clock.millis()));
        LOG.info("deregistered from the registry at {}", t.address);
      } catch (RuntimeException e) {
        LOG.warn("deregistering from {} failed: {}", t.address, e.toString());
      }
    }
  }

  @Override
  public Optional<AnchorSet> get(long epoch) {
    for (Target t : targets) {
      try {
        // Not RegistryClient.anchorSet: it has no deadline, and a stuck registry must not stall proofs.
        return Optional.of(
            RegistryGrpc.newBlockingStub(t.client.channel())
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getAnchorSet(GetAnchorSetRequest.newBuilder().setEpoch(epoch).build()));
      } catch (RuntimeException e) {
        LOG.debug("no anchor set {} from {}: {}", epoch, t.address, e.toString());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
    for (Target t : targets) {
      synchronized (t) {
        if (t.session != null) {
          t.session.close();
          t.session = null;
        }
      }
      t.closeClient();
    }
  }
}
