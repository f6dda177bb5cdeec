package org.openshard.registry.anchors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openshard.credentials.Anchor;
import org.openshard.credentials.CredentialException;
import org.openshard.credentials.anchors.AnchorEnrollments;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.proto.v1.AnchorSet;
import org.openshard.proto.v1.EnrollAnchorRequest;
import org.openshard.proto.v1.EnrollAnchorResponse;
import org.openshard.registry.RegistryException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Anchors shared by registry replicas through Redis. Keys (under the registry prefix):
 *
 * <ul>
 *   <li>{@code anchors} — a set of enrolled anchors (hex of the 33-byte point);
 *   <li>{@code anchorset:seq} — the last epoch number handed out (INCR);
 *   <li>{@code anchorset:<epoch>} — the serialized {@code AnchorSet} proto, expiring after the
 *       retention period;
 *   <li>{@code anchorset:latest} — the highest published epoch (only ever raised).
 * </ul>
 *
 * Two replicas publishing at once take distinct epochs and each publishes every anchor it saw, so
 * every published set is valid. Any Redis failure is {@code UNAVAILABLE}: the registry never serves
 * a stale or empty set silently.
 */
public final class RedisAnchorRegistry implements AnchorRegistry {
  private static final String RAISE_LATEST =
      "local cur = tonumber(redis.call('GET', KEYS[1]) or '0') "
          + "if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end return 1";

  private final UnifiedJedis jedis;
  private final String prefix;
  private final long maxSkewMs;
  private final long retentionMs;

  public RedisAnchorRegistry(UnifiedJedis jedis, String prefix, long maxSkewMs, long retentionMs) {
    this.jedis = jedis;
    this.prefix = prefix;
    this.maxSkewMs = maxSkewMs;
    this.retentionMs = retentionMs;
  }

  @Override
  public EnrollAnchorResponse enroll(EnrollAnchorRequest request, long nowMs) throws RegistryException {
    Anchor anchor;
    try {
      anchor = AnchorEnrollments.verify(request, nowMs, maxSkewMs);
    } catch (CredentialException e) {
      throw AnchorRegistry.refusal(e);
    }
    try {
      long added = jedis.sadd(prefix + "anchors", Bytes.hex(anchor.toBytes()));
      if (added == 0) {
        String latest = jedis.get(prefix + "anchorset:latest");
        if (latest != null) {
          return EnrollAnchorResponse.newBuilder().setEffectiveEpoch(Long.parseLong(latest)).setNewlyEnrolled(false).build();
        }
      }
      long epoch = publish(nowMs);
      return EnrollAnchorResponse.newBuilder().setEffectiveEpoch(epoch).setNewlyEnrolled(added == 1).build();
    } catch (JedisException e) {
      throw RegistryException.storeUnavailable("Redis is unreachable; anchor enrolment failed closed");
    }
  }

  private long publish(long nowMs) throws RegistryException {
    long epoch = jedis.incr(prefix + "anchorset:seq");
    Set<String> members = jedis.smembers(prefix + "anchors");
    List<Anchor> anchors = new ArrayList<>(members.size());
    try {
      for (String hex : members) {
        anchors.add(Anchor.fromBytes(Bytes.fromHex(hex)));
      }
      byte[] bytes = org.openshard.credentials.anchors.AnchorSet.of(epoch, anchors, nowMs).toProto().toByteArray();
      jedis.set((prefix + "anchorset:" + epoch).getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes,
          SetParams.setParams().px(retentionMs));
      jedis.eval(RAISE_LATEST, List.of(prefix + "anchorset:latest"), List.of(Long.toString(epoch)));
      return epoch;
    } catch (CredentialException | CryptoException e) {
      throw new RegistryException(org.openshard.proto.v1.ErrorCode.INTERNAL, "anchors",
          "the shared anchor set in Redis is corrupt: " + e.getMessage());
    }
  }

  @Override
  public AnchorSet get(long epoch) throws RegistryException {
    try {
      long e = epoch;
      if (e == 0) {
        String latest = jedis.get(prefix + "anchorset:latest");
        if (latest == null) {
          throw AnchorRegistry.notPublished(0);
        }
        e = Long.parseLong(latest);
      }
      byte[] bytes = jedis.get((prefix + "anchorset:" + e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (bytes == null) {
        throw AnchorRegistry.notPublished(epoch);
      }
      return AnchorSet.parseFrom(bytes);
    } catch (JedisException ex) {
      throw RegistryException.storeUnavailable("Redis is unreachable; cannot serve anchor sets");
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new RegistryException(org.openshard.proto.v1.ErrorCode.INTERNAL, "epoch",
          "the anchor set stored in Redis is corrupt");
    }
  }
}
