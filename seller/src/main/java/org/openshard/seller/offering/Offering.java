package org.openshard.seller.offering;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.Pricing;

/**
 * A service a seller advertises: capability, the service ids buyers ask for, USDC prices per
 * million tokens (base units, 6 decimals) and the upstream model. Immutable; build with {@link
 * #builder()}, which validates everything.
 *
 * <pre>{@code
 * Offering o = Offering.builder()
 *     .id("llama-small")
 *     .capability(Offering.Kind.INFERENCE)
 *     .serviceId("llama-3.1-8b")
 *     .inputPricePerMillion(150_000)      // 0.15 USDC per million input tokens
 *     .outputPricePerMillion(600_000)
 *     .cachedInputPricePerMillion(75_000)
 *     .upstreamModel("meta-llama/Llama-3.1-8B-Instruct")
 *     .build();
 * }</pre>
 */
@JsonPropertyOrder({"id", "capability", "service_ids", "pricing", "upstream_model", "max_context_tokens"})
public final class Offering {
  /** Largest price accepted: 10^12 base units (one million USDC) per million tokens. */
  public static final long MAX_PRICE_PER_MILLION = 1_000_000_000_000L;

  public static final int MAX_SERVICE_IDS = 16;
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  private static final int MAX_MODEL_LENGTH = 256;

  /** Capability kinds (the JSON names are lowercase). */
  public enum Kind {
    INFERENCE(Capability.CAPABILITY_INFERENCE),
    AGENT(Capability.CAPABILITY_AGENT),
    TOOL(Capability.CAPABILITY_TOOL);

    private final Capability proto;

    Kind(Capability proto) {
      this.proto = proto;
    }

    public Capability toProto() {
      return proto;
    }

    static Kind fromProto(Capability c) {
      for (Kind k : values()) {
        if (k.proto == c) {
          return k;
        }
      }
      throw new InvalidOfferingException("capability", "capability must be inference, agent or tool");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Kind fromJson(String s) {
      if (s == null) {
        throw new InvalidOfferingException("capability", "capability is missing");
      }
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidOfferingException("capability", "capability must be inference, agent or tool, was '" + s + "'");
      }
    }
  }

  /** Prices in base units per million tokens. */
  @JsonPropertyOrder({"input_per_million", "output_per_million", "cached_input_per_million"})
  public static final class Prices {
    private final long input;
    private final long output;
    private final long cachedInput;

    @JsonCreator
    Prices(
        @JsonProperty("input_per_million") long input,
        @JsonProperty("output_per_million") long output,
        @JsonProperty("cached_input_per_million") long cachedInput) {
      this.input = input;
      this.output = output;
      this.cachedInput = cachedInput;
    }

    @JsonProperty("input_per_million")
    public long inputPerMillion() {
      return input;
    }

    @JsonProperty("output_per_million")
    public long outputPerMillion() {
      return output;
    }

    @JsonProperty("cached_input_per_million")
    public long cachedInputPerMillion() {
      return cachedInput;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isFree() {
      return input == 0 && output == 0 && cachedInput == 0;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Prices
          && ((Prices) o).input == input
          && ((Prices) o).output == output
          && ((Prices) o).cachedInput == cachedInput;
    }

    @Override
    public int hashCode() {
      return Objects.hash(input, output, cachedInput);
    }
  }

  private final String id;
  private final Kind capability;
  private final List<String> serviceIds;
  private final Prices pricing;
  private final String upstreamModel;
  private final int maxContextTokens;

  private Offering(Builder b) {
    this.id = b.id;
    this.capability = b.capability;
    this.serviceIds = Collections.unmodifiableList(new ArrayList<>(b.serviceIds));
    this.pricing = new Prices(b.input, b.output, b.cached);
    this.upstreamModel = b.upstreamModel;
    this.maxContextTokens = b.maxContextTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this offering's values. */
  public Builder toBuilder() {
    Builder b =
        builder()
            .id(id)
            .capability(capability)
            .inputPricePerMillion(pricing.input)
            .outputPricePerMillion(pricing.output)
            .cachedInputPricePerMillion(pricing.cachedInput)
            .upstreamModel(upstreamModel)
            .maxContextTokens(maxContextTokens);
    serviceIds.forEach(b::serviceId);
    return b;
  }

  @JsonCreator
  static Offering fromJson(
      @JsonProperty("id") String id,
      @JsonProperty("capability") Kind capability,
      @JsonProperty("service_ids") List<String> serviceIds,
      @JsonProperty("pricing") Prices pricing,
      @JsonProperty("upstream_model") String upstreamModel,
      @JsonProperty("max_context_tokens") Integer maxContextTokens) {
    Builder b = builder().id(id).upstreamModel(upstreamModel);
    if (capability != null) {
      b.capability(capability);
    }
    if (serviceIds != null) {
      serviceIds.forEach(b::serviceId);
    }
    if (pricing != null) {
      b.inputPricePerMillion(pricing.input).outputPricePerMillion(pricing.output).cachedInputPricePerMillion(pricing.cachedInput);
    }
    if (maxContextTokens != null) {
      b.maxContextTokens(maxContextTokens);
    }
    return b.build();
  }

  /** Validates and converts an advertised proto offering. */
  public static Offering fromProto(org.openshard.proto.v1.Offering p) {
    Builder b =
        builder()
            .id(p.getOfferingId())
            .capability(Kind.fromProto(p.getCapability()))
            .inputPricePerMillion(p.getPricing().getInputPerMillion())
            .outputPricePerMillion(p.getPricing().getOutputPerMillion())
            .cachedInputPricePerMillion(p.getPricing().getCachedInputPerMillion())
            .upstreamModel(p.getUpstreamModel())
            .maxContextTokens(p.getMaxContextTokens());
    p.getServiceIdsList().forEach(b::serviceId);
    return b.build();
  }

  public org.openshard.proto.v1.Offering toProto() {
    return org.openshard.proto.v1.Offering.newBuilder()
        .setOfferingId(id)
        .setCapability(capability.toProto())
        .addAllServiceIds(serviceIds)
        .setPricing(
            Pricing.newBuilder()
                .setInputPerMillion(pricing.input)
                .setOutputPerMillion(pricing.output)
                .setCachedInputPerMillion(pricing.cachedInput))
        .setUpstreamModel(upstreamModel)
        .setMaxContextTokens(maxContextTokens)
        .build();
  }

  @JsonProperty("id")
  public String id() {
    return id;
  }

  @JsonProperty("capability")
  public Kind capability() {
    return capability;
  }

  @JsonProperty("service_ids")
  public List<String> serviceIds() {
    return serviceIds;
  }

  @JsonProperty("pricing")
  public Prices pricing() {
    return pricing;
  }

  @JsonProperty("upstream_model")
  public String upstreamModel() {
    return upstreamModel;
  }

  @JsonProperty("max_context_tokens")
  public int maxContextTokens() {
    return maxContextTokens;
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean serves(String serviceId) {
    return serviceIds.contains(serviceId);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Offering)) {
      return false;
    }
    Offering x = (Offering) o;
    return id.equals(x.id)
        && capability == x.capability
        && serviceIds.equals(x.serviceIds)
        && pricing.equals(x.pricing)
        && upstreamModel.equals(x.upstreamModel)
        && maxContextTokens == x.maxContextTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, capability, serviceIds, pricing, upstreamModel, maxContextTokens);
  }

  @Override
  public String toString() {
    return "Offering(" + id + ", " + capability.jsonName() + ", " + serviceIds + ", in=" + pricing.input + " out="
        + pricing.output + " cached=" + pricing.cachedInput + " per 1M, model=" + upstreamModel + ")";
  }

  /** Validating builder. {@link #build()} throws {@link InvalidOfferingException} naming the field. */
  public static final class Builder {
    private String id;
    private Kind capability = Kind.INFERENCE;
    private final LinkedHashSet<String> serviceIds = new LinkedHashSet<>();
    private long input;
    private long output;
    private long cached;
    private String upstreamModel;
    private int maxContextTokens;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder capability(Kind capability) {
      this.capability = capability;
      return this;
    }

    /** Adds a service id (duplicates are rejected at build time). */
    public Builder serviceId(String serviceId) {
      if (!serviceIds.add(serviceId)) {
        throw new InvalidOfferingException("service_ids", "duplicate service id '" + serviceId + "'");
      }
      return this;
    }

    public Builder inputPricePerMillion(long baseUnits) {
      this.input = baseUnits;
      return this;
    }

    public Builder outputPricePerMillion(long baseUnits) {
      this.output = baseUnits;
      return this;
    }

    public Builder cachedInputPricePerMillion(long baseUnits) {
      this.cached = baseUnits;
      return this;
    }

    public Builder upstreamModel(String model) {
      this.upstreamModel = model;
      return this;
    }

    public Builder maxContextTokens(int tokens) {
      this.maxContextTokens = tokens;
      return this;
    }

    public Offering build() {
      if (id == null || !ID.matcher(id).matches()) {
        throw new InvalidOfferingException("id", "offering id must match [a-z0-9][a-z0-9._-]{0,63}, was " + quote(id));
      }
      if (capability == null) {
        throw new InvalidOfferingException("capability", "capability is missing");
      }
      if (serviceIds.isEmpty()) {
        throw new InvalidOfferingException("service_ids", "at least one service id is required");
      }
      if (serviceIds.size() > MAX_SERVICE_IDS) {
        throw new InvalidOfferingException("service_ids", "at most " + MAX_SERVICE_IDS + " service ids per offering");
      }
      for (String s : serviceIds) {
        if (s == null || !SERVICE_ID.matcher(s).matches()) {
          throw new InvalidOfferingException(
              "service_ids", "service id must be 1..128 characters of [A-Za-z0-9._:/-], was " + quote(s));
        }
      }
      checkPrice("pricing.input_per_million", input);
      checkPrice("pricing.output_per_million", output);
      checkPrice("pricing.cached_input_per_million", cached);
      if (upstreamModel == null || upstreamModel.isBlank() || upstreamModel.length() > MAX_MODEL_LENGTH) {
        throw new InvalidOfferingException("upstream_model", "upstream model must be 1.." + MAX_MODEL_LENGTH + " characters");
      }
      for (int i = 0; i < upstreamModel.length(); i++) {
        if (Character.isISOControl(upstreamModel.charAt(i))) {
          throw new InvalidOfferingException("upstream_model", "upstream model contains control characters");
        }
      }
      if (maxContextTokens < 0) {
        throw new InvalidOfferingException("max_context_tokens", "max context tokens must be ≥ 0");
      }
      return new Offering(this);
    }

    private static void checkPrice(String field, long v) {
      if (v < 0) {
        throw new InvalidOfferingException(field, field + " must be ≥ 0 base units, was " + v);
      }
      if (v > MAX_PRICE_PER_MILLION) {
        throw new InvalidOfferingException(field, field + " must be ≤ " + MAX_PRICE_PER_MILLION + " base units, was " + v);
      }
    }

    private static String quote(String s) {
      return s == null ? "nothing" : "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
  }
}
