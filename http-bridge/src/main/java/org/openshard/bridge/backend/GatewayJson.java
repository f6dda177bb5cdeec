package org.openshard.bridge.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Locale;
import org.openshard.proto.v1.Capability;
import org.openshard.proto.v1.ListModelsResponse;
import org.openshard.proto.v1.ModelInfo;
import org.openshard.proto.v1.Pricing;
import org.openshard.proto.v1.RequestSummary;

/** JSON ↔ Gateway messages: numbers keep their spelling, member order is preserved. */
final class GatewayJson {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  private GatewayJson() {}

  /** Compact JSON text of a request, as carried in {@code openai_request_json}. */
  static String requestText(ObjectNode request) {
    try {
      return JSON.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("request cannot be serialized", e);
    }
  }

  /** An object the gateway sent as JSON text; anything else is a 502. */
  static ObjectNode object(String text, String what) {
    JsonNode j;
    try {
      j = JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw BackendException.badGateway("the buyer gateway sent a " + what + " that is not valid JSON", null);
    }
    if (j == null || !j.isObject()) {
      throw BackendException.badGateway("the buyer gateway sent a " + what + " that is not a JSON object", null);
    }
    return (ObjectNode) j;
  }

  static ServingSummary summary(RequestSummary s) {
    return new ServingSummary(
        s.getSellerId(), s.getOfferingId(), s.getAmountCharged(), s.getReceiptId(), s.getNullifierHash(), s.getAttempts());
  }

  /**
   * The OpenAI model list: {@code id}, {@code object:"model"}, {@code created:0}, {@code
   * owned_by:"openshard"}, plus {@code capability}, {@code seller_count} and {@code lowest_price}.
   */
  static ObjectNode models(ListModelsResponse r) {
    ObjectNode root = JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (ModelInfo m : r.getModelsList()) {
      ObjectNode o = data.addObject();
      o.put("id", m.getId()).put("object", "model").put("created", 0).put("owned_by", "openshard");
      o.put("capability", capability(m.getCapability()));
      o.put("seller_count", m.getSellerCount());
      if (m.hasLowestPrice()) {
        Pricing p = m.getLowestPrice();
        o.putObject("lowest_price")
            .put("input_per_million", unsigned(p.getInputPerMillion()))
            .put("output_per_million", unsigned(p.getOutputPerMillion()))
            .put("cached_input_per_million", unsigned(p.getCachedInputPerMillion()));
      }
    }
    return root;
  }

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  private static String capability(Capability c) {
    if (c == Capability.CAPABILITY_UNSPECIFIED || c == Capability.UNRECOGNIZED) {
      return "unspecified";
    }
    return c.name().substring("CAPABILITY_".length()).toLowerCase(Locale.ROOT);
  }
}
