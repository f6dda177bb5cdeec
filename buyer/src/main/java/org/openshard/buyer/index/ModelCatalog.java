package org.openshard.buyer.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.ModelInfo;
import org.openshard.proto.v1.Offering;
import org.openshard.proto.v1.Pricing;

/**
 * The models (service ids) offered by the sellers in the index: per service id the number of
 * sellers, the capability of its cheapest offering and the lowest input and output prices (each
 * minimum taken separately), sorted by id.
 */
public final class ModelCatalog {
  private final SellerIndex index;

  public ModelCatalog(SellerIndex index) {
    this.index = Objects.requireNonNull(index);
  }

  public ListModelsResponse list() {
    TreeMap<String, Agg> byId = new TreeMap<>();
    for (SellerListing l : index.all()) {
      TreeMap<String, Offering> cheapestPerService = new TreeMap<>();
      for (Offering o : l.offerings()) {
        for (String id : o.getServiceIdsList()) {
          Offering cur = cheapestPerService.get(id);
          if (cur == null || SellerListing.cost(o) < SellerListing.cost(cur)) {
            cheapestPerService.put(id, o);
          }
        }
        for (String id : o.getServiceIdsList()) {
          byId.computeIfAbsent(id, k -> new Agg()).offer(o);
        }
      }
      for (String id : cheapestPerService.keySet()) {
        byId.get(id).sellers++;
      }
    }
    List<ModelInfo> models = new ArrayList<>(byId.size());
    byId.forEach(
        (id, a) ->
            models.add(
                ModelInfo.newBuilder()
                    .setId(id)
                    .setCapability(a.capability)
                    .setSellerCount(a.sellers)
                    .setLowestPrice(
                        Pricing.newBuilder()
                            .setInputPerMillion(a.minInput)
                            .setOutputPerMillion(a.minOutput)
                            .setCachedInputPerMillion(a.minCached))
                    .build()));
    return ListModelsResponse.newBuilder().addAllModels(models).build();
  }

  private static final class Agg {
    int sellers;
    long minInput = Long.MAX_VALUE;
    long minOutput = Long.MAX_VALUE;
    long minCached = Long.MAX_VALUE;
    long cheapestCost = Long.MAX_VALUE;
    Capability capability = Capability.CAPABILITY_UNSPECIFIED;

    void offer(Offering o) {
      Pricing p = o.getPricing();
      minInput = Math.min(minInput, p.getInputPerMillion());
      minOutput = Math.min(minOutput, p.getOutputPerMillion());
      minCached = Math.min(minCached, p.getCachedInputPerMillion());
      long c = SellerListing.cost(o);
      if (c < cheapestCost) {
        cheapestCost = c;
        capability = o.getCapability();
      }
    }
  }
}
