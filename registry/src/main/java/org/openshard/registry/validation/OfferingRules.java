package org.openshard.registry.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.Pricing;
import org.openshard.registry.RegistryException;

/** REG-7 and REG-8: offering counts, identifiers, capabilities and price caps. */
public final class OfferingRules {
  private OfferingRules() {}

  public static void check(List<Offering> offerings) throws RegistryException {
    if (offerings.isEmpty()) {
      throw RegistryException.invalid("offerings", "a registration needs at least one offering");
    }
    if (offerings.size() > Limits.MAX_OFFERINGS) {
      throw RegistryException.limit(
          "offerings", "at most " + Limits.MAX_OFFERINGS + " offerings, got " + offerings.size());
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < offerings.size(); i++) {
      Offering o = offerings.get(i);
      String f = "offerings." + i;
      if (!Identifiers.OFFERING_ID.matcher(o.getOfferingId()).matches()) {
        throw RegistryException.invalid(
            f + ".offering_id",
            "offering_id must match [a-z0-9][a-z0-9._-]{0,63}, was " + Identifiers.quote(o.getOfferingId()));
      }
      if (!ids.add(o.getOfferingId())) {
        throw RegistryException.invalid(f + ".offering_id", "duplicate offering_id " + Identifiers.quote(o.getOfferingId()));
      }
      if (o.getCapability() == Capability.CAPABILITY_UNSPECIFIED || o.getCapability() == Capability.UNRECOGNIZED) {
        throw RegistryException.invalid(f + ".capability", "capability must be INFERENCE, AGENT or TOOL");
      }
      checkServiceIds(o.getServiceIdsList(), f + ".service_ids");
      checkPricing(o.getPricing(), f + ".pricing");
      String model = o.getUpstreamModel();
      if (model.length() > Limits.MAX_UPSTREAM_MODEL_CHARS) {
        throw RegistryException.limit(
            f + ".upstream_model", "upstream_model is longer than " + Limits.MAX_UPSTREAM_MODEL_CHARS + " characters");
      }
      for (int c = 0; c < model.length(); c++) {
        if (model.charAt(c) < 0x20 || model.charAt(c) == 0x7f) {
          throw RegistryException.invalid(f + ".upstream_model", "upstream_model contains control characters");
        }
      }
    }
  }

  private static void checkServiceIds(List<String> serviceIds, String field) throws RegistryException {
    if (serviceIds.isEmpty()) {
      throw RegistryException.invalid(field, "an offering needs at least one service id");
    }
    if (serviceIds.size() > Limits.MAX_SERVICE_IDS_PER_OFFERING) {
      throw RegistryException.limit(
          field, "at most " + Limits.MAX_SERVICE_IDS_PER_OFFERING + " service ids per offering, got " + serviceIds.size());
    }
    Set<String> seen = new HashSet<>();
    for (int j = 0; j < serviceIds.size(); j++) {
      String s = serviceIds.get(j);
      if (!Identifiers.isServiceId(s)) {
        throw RegistryException.invalid(
            field + "." + j, "service id must be 1..128 characters of [A-Za-z0-9._:/-], was " + Identifiers.quote(s));
      }
      if (!seen.add(s)) {
        throw RegistryException.invalid(field + "." + j, "duplicate service id " + Identifiers.quote(s));
      }
    }
  }

  private static void checkPricing(Pricing p, String field) throws RegistryException {
    checkPrice(p.getInputPerMillion(), field + ".input_per_million");
    checkPrice(p.getOutputPerMillion(), field + ".output_per_million");
    checkPrice(p.getCachedInputPerMillion(), field + ".cached_input_per_million");
  }

  private static void checkPrice(long uint64, String field) throws RegistryException {
    // uint64 arrives as a Java long: values above 2^63 - 1 are negative here.
    if (Long.compareUnsigned(uint64, Limits.MAX_PRICE_PER_MILLION) > 0) {
      throw RegistryException.limit(
          field,
          "price " + Long.toUnsignedString(uint64) + " exceeds the cap of " + Limits.MAX_PRICE_PER_MILLION
              + " base units per million tokens");
    }
  }
}
