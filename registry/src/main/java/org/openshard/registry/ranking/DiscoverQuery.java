package org.openshard.registry.ranking;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openshard.crypto.Hashes;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.DiscoverRequest;
import org.openshard.registry.RegistryException;
import org.openshard.registry.validation.Identifiers;

/**
 * A validated Discover request: filters, the page size (0 means 50; values above 500 are clamped
 * to 500) and the decoded page cursor, if any.
 */
public record DiscoverQuery(
    String serviceId,
    Capability capability,
    long maxInputPrice,
    long maxOutputPrice,
    double minHealth,
    int limit,
    PageToken cursor,
    long asOfMs) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static DiscoverQuery of(DiscoverRequest r, long nowMs) throws RegistryException {
    if (r.getServiceId().isEmpty()) {
      throw RegistryException.invalid("service_id", "service_id is required");
    }
    if (!Identifiers.isServiceId(r.getServiceId())) {
      throw RegistryException.invalid(
          "service_id", "service_id must be 1..128 characters of [A-Za-z0-9._:/-], was " + Identifiers.quote(r.getServiceId()));
    }
    if (r.getCapability() == Capability.UNRECOGNIZED) {
      throw RegistryException.invalid("capability", "unknown capability " + r.getCapabilityValue());
    }
    double minHealth = r.getMinHealth();
    if (Double.isNaN(minHealth) || minHealth < 0.0 || minHealth > 1.0) {
      throw RegistryException.invalid("min_health", "min_health must be within 0.0 .. 1.0");
    }
    int limit = r.getLimit() == 0 ? DEFAULT_LIMIT : (int) Math.min(MAX_LIMIT, Integer.toUnsignedLong(r.getLimit()));
    long hash = filterHash(r.getServiceId(), r.getCapability(), r.getMaxInputPrice(), r.getMaxOutputPrice(), minHealth);
    PageToken cursor = null;
    long asOf = nowMs;
    if (!r.getPageToken().isEmpty()) {
      cursor =
          PageToken.decode(r.getPageToken())
              .orElseThrow(() -> RegistryException.invalid("page_token", "page_token is malformed"));
      if (cursor.filterHash() != hash) {
        throw RegistryException.invalid("page_token", "page_token belongs to a query with other filters");
      }
      asOf = cursor.asOfMs();
    }
    return new DiscoverQuery(
        r.getServiceId(), r.getCapability(), r.getMaxInputPrice(), r.getMaxOutputPrice(), minHealth, limit, cursor, asOf);
  }

  static long filterHash(String serviceId, Capability capability, long maxIn, long maxOut, double minHealth) {
    byte[] s = serviceId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(s.length + 4 + 8 + 8 + 8);
    b.put(s).putInt(capability.getNumber()).putLong(maxIn).putLong(maxOut).putDouble(minHealth);
    return ByteBuffer.wrap(Hashes.sha256(b.array())).getLong();
  }
}
