package org.openshard.registry.service;

import java.util.List;
import org.openshard.proto.v1.DeregisterRequest;
import org.openshard.proto.v1.DeregisterResponse;
import org.openshard.proto.v1.Deregistration;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.proto.v1.DiscoverResponse;
import org.openshard.proto.v1.HeartbeatAck;
import org.openshard.proto.v1.HeartbeatPing;
import org.openshard.proto.v1.LoadReport;
import org.openshard.proto.v1.PeerListing;
import org.openshard.proto.v1.RegisterRequest;
import org.openshard.proto.v1.RegisterResponse;
import org.openshard.registry.RegistryConfig;
import org.openshard.registry.RegistryException;
import org.openshard.registry.metrics.RegistryMetrics;
import org.openshard.registry.ranking.DiscoverQuery;
import org.openshard.registry.ranking.HealthScore;
import org.openshard.registry.ranking.LoadSanitizer;
import org.openshard.registry.ranking.Ranker;
import org.openshard.registry.store.DeregisterResult;
import org.openshard.registry.store.HeartbeatResult;
import org.openshard.registry.store.HeartbeatToken;
import org.openshard.registry.store.LivePeer;
import org.openshard.registry.store.Liveness;
import org.openshard.registry.store.PeerRecord;
import org.openshard.registry.store.PeerStore;
import org.openshard.registry.store.RegisterResult;
import org.openshard.registry.store.StoreEvent;
import org.openshard.registry.store.StoreException;
import org.openshard.registry.validation.DeregistrationValidator;
import org.openshard.registry.validation.Identifiers;
import org.openshard.registry.validation.RegistrationValidator;

/**
 * The registry's request logic, independent of gRPC (the service adapts it; benchmarks and unit
 * tests call it directly). Thread-safe.
 */
public final class RegistryCore {
  private final RegistryConfig config;
  private final PeerStore store;
  private final RegistryMetrics metrics;
  private final RegistrationValidator registrations;
  private final DeregistrationValidator deregistrations;
  private final Ranker ranker;

  public RegistryCore(RegistryConfig config, PeerStore store, RegistryMetrics metrics) {
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.registrations = new RegistrationValidator(config.maxClockSkewMs());
    this.deregistrations = new DeregistrationValidator(config.maxClockSkewMs());
    this.ranker = new Ranker(config.heartbeatIntervalMs(), config.livenessWindowMs());
  }

  public RegistryConfig config() {
    return config;
  }

  public PeerStore store() {
    return store;
  }

  /** Validates (REG-1 .. REG-10), stores (REG-11) and issues a new heartbeat token. */
  public RegisterResponse register(RegisterRequest request) throws RegistryException {
    long now = config.nowMs();
    PeerRecord record = registrations.validate(request, now);
    HeartbeatToken token = HeartbeatToken.generate();
    long deadline = now + config.livenessWindowMs();
    RegisterResult r;
    try {
      r = store.register(record, token, new Liveness(LoadReport.getDefaultInstance(), now, deadline));
    } catch (StoreException e) {
      throw RegistryException.storeUnavailable("registry store unavailable: " + e.getMessage());
    }
    if (r.outcome() == RegisterResult.Outcome.STALE) {
      throw RegistryException.stale(
          "timestamp_ms",
          "registration is not newer than the last signed message accepted for this peer (timestamp_ms "
              + record.timestampMs() + " <= " + r.lastAcceptedTimestampMs() + ")");
    }
    boolean updated = r.outcome() == RegisterResult.Outcome.UPDATED;
    metrics.registered(updated);
    return RegisterResponse.newBuilder()
        .setPeerId(record.peerId())
        .setHeartbeatToken(com.google.protobuf.ByteString.copyFrom(token.toBytes()))
        .setHeartbeatIntervalMs(config.heartbeatIntervalMs())
        .setNextDeadlineMs(deadline)
        .setUpdated(updated)
        .build();
  }

  /** One heartbeat ping: O(1) store work. */
  public HeartbeatAck heartbeat(HeartbeatPing ping) throws RegistryException {
    if (!Identifiers.isPeerId(ping.getPeerId())) {
      throw RegistryException.unknownPeer("peer_id is not a registered peer id");
    }
    if (ping.getHeartbeatToken().size() != HeartbeatToken.BYTES) {
      throw RegistryException.badToken("heartbeat_token must be the 32-byte token from RegisterResponse");
    }
    long now = config.nowMs();
    LoadReport load = LoadSanitizer.sanitize(ping.getLoad());
    long deadline = now + config.livenessWindowMs();
    HeartbeatResult r;
    try {
      r = store.heartbeat(ping.getPeerId(), HeartbeatToken.of(ping.getHeartbeatToken().toByteArray()), new Liveness(load, now, deadline));
    } catch (StoreException e) {
      throw RegistryException.storeUnavailable("registry store unavailable: " + e.getMessage());
    }
    switch (r) {
      case UNKNOWN_PEER:
        throw RegistryException.unknownPeer(
            "peer " + ping.getPeerId() + " is not registered (never registered, deregistered or expired); register again");
      case BAD_TOKEN:
        throw RegistryException.badToken("heartbeat_token does not match the peer's current registration");
      default:
        break;
    }
    metrics.heartbeat();
    return HeartbeatAck.newBuilder()
        .setSequence(ping.getSequence())
        .setNextDeadlineMs(deadline)
        .setIntervalMs(config.heartbeatIntervalMs())
        .setHealth(HealthScore.of(load, now, now, config.heartbeatIntervalMs(), config.livenessWindowMs()))
        .build();
  }

  public DiscoverResponse discover(DiscoverRequest request) throws RegistryException {
    long t0 = System.nanoTime();
    long now = config.nowMs();
    DiscoverQuery q = DiscoverQuery.of(request, now);
    List<LivePeer> candidates;
    try {
      candidates = store.live(q.serviceId(), now);
    } catch (StoreException e) {
      throw RegistryException.storeUnavailable("registry store unavailable: " + e.getMessage());
    }
    DiscoverResponse r = ranker.rank(candidates, q, now);
    metrics.discoverNanos(System.nanoTime() - t0);
    return r;
  }

  public DeregisterResponse deregister(DeregisterRequest request) throws RegistryException {
    long now = config.nowMs();
    Deregistration d = deregistrations.validate(request, now);
    DeregisterResult r;
    try {
      r = store.deregister(d.getPeerId(), d.getTimestampMs(), now);
    } catch (StoreException e) {
      throw RegistryException.storeUnavailable("registry store unavailable: " + e.getMessage());
    }
    if (r.outcome() == DeregisterResult.Outcome.STALE) {
      throw RegistryException.stale(
          "timestamp_ms",
          "deregistration is not newer than the last signed message accepted for this peer (timestamp_ms "
              + d.getTimestampMs() + " <= " + r.lastAcceptedTimestampMs() + ")");
    }
    boolean removed = r.outcome() == DeregisterResult.Outcome.REMOVED;
    if (removed) {
      metrics.removed(StoreEvent.DEREGISTERED, 1);
    }
    return DeregisterResponse.newBuilder().setRemoved(removed).build();
  }

  /** Live peers for a Watch snapshot ("" = all). */
  public List<LivePeer> snapshot(String serviceFilter) throws RegistryException {
    try {
      return store.live(serviceFilter, config.nowMs());
    } catch (StoreException e) {
      throw RegistryException.storeUnavailable("registry store unavailable: " + e.getMessage());
    }
  }

  /** Removes expired peers; returns how many this replica removed. */
  public int prune() throws StoreException {
    int n = store.pruneExpired(config.nowMs());
    metrics.removed(StoreEvent.EXPIRED, n);
    return n;
  }

  /** The listing of a Watch event: health as of now, score 0. */
  public PeerListing listing(LivePeer p) {
    Liveness l = p.liveness();
    return PeerListing.newBuilder()
        .setSignedRegistration(p.record().signed())
        .setRegistration(p.record().registration())
        .setLoad(l.load())
        .setHealth(HealthScore.of(l.load(), l.lastHeartbeatMs(), config.nowMs(), config.heartbeatIntervalMs(), config.livenessWindowMs()))
        .setLastHeartbeatMs(l.lastHeartbeatMs())
        .build();
  }
}
