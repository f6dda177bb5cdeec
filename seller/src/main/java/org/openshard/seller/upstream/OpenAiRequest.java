package org.openshard.seller.upstream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.StageException;

/**
 * An application's OpenAI chat-completions request body, parsed strictly (one JSON object,
 * duplicate keys rejected, numbers kept exactly) and otherwise left alone. {@link
 * #upstreamBody(String)} produces what the upstream receives: the same object, fields in the same
 * order, with exactly two possible changes:
 *
 * <ol>
 *   <li>{@code "model"} is replaced by the offering's upstream model;
 *   <li>for streaming requests, {@code stream_options.include_usage} is set to {@code true} (other
 *       {@code stream_options} members are kept), so the seller learns the token counts. If the
 *       application did not ask for usage itself, the usage-only chunk is not relayed to it.
 * </ol>
 *
 * Immutable. Never logs or prints the body.
 */
public final class OpenAiRequest {
  /** Largest request body accepted, in UTF-8 bytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final ObjectNode body;
  private final byte[] original;

  private OpenAiRequest(ObjectNode body, byte[] original) {
    this.body = body;
    this.original = original;
  }

  /**
   * Parses the application's JSON.
   *
   * @throws StageException INVALID_QUERY if it is not one JSON object (or has duplicate keys), or
   *     LIMIT_EXCEEDED if it is larger than {@link #MAX_BYTES}
   */
  public static OpenAiRequest parse(String json) throws StageException {
    if (json == null || json.isEmpty()) {
      throw StageException.of(ErrorCode.INVALID_QUERY, "openai_request_json", "the OpenAI request is empty");
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      throw StageException.of(
          ErrorCode.LIMIT_EXCEEDED, "openai_request_json", "the OpenAI request is larger than " + MAX_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Jackson's message may quote the input: only the location is reported.
      throw StageException.of(
          ErrorCode.INVALID_QUERY,
          "openai_request_json",
          "the OpenAI request is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")");
    } catch (java.io.IOException e) {
      throw StageException.of(ErrorCode.INVALID_QUERY, "openai_request_json", "the OpenAI request cannot be read");
    }
    if (node == null || !node.isObject()) {
      throw StageException.of(ErrorCode.INVALID_QUERY, "openai_request_json", "the OpenAI request must be a JSON object");
    }
    ObjectNode obj = (ObjectNode) node;
    JsonNode opts = obj.get("stream_options");
    if (opts != null && !opts.isNull() && !opts.isObject()) {
      throw StageException.of(ErrorCode.INVALID_QUERY, "openai_request_json.stream_options", "stream_options must be an object");
    }
    return new OpenAiRequest(obj, bytes);
  }

  /** The application's "model" (the service id it asked for), or "" if absent or not a string. */
  public String model() {
    JsonNode m = body.get("model");
    return m != null && m.isTextual() ? m.asText() : "";
  }

  /** True if the application asked for a streamed response ({@code "stream": true}). */
  public boolean stream() {
    JsonNode s = body.get("stream");
    return s != null && s.isBoolean() && s.booleanValue();
  }

  /** True if the application itself asked for the usage chunk ({@code stream_options.include_usage}). */
  public boolean applicationWantsUsage() {
    JsonNode opts = body.get("stream_options");
    if (opts == null || !opts.isObject()) {
      return false;
    }
    JsonNode u = opts.get("include_usage");
    return u != null && u.isBoolean() && u.booleanValue();
  }

  /** {@code max_completion_tokens}, else {@code max_tokens}, if present as a non-negative integer. */
  public OptionalLong maxCompletionTokens() {
    for (String f : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode n = body.get(f);
      if (n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0) {
        return OptionalLong.of(n.longValue());
      }
    }
    return OptionalLong.empty();
  }

  /** Size of the application's JSON in UTF-8 bytes (an upper bound on its prompt tokens). */
  public int utf8Length() {
    return original.length;
  }

  /** The application's JSON exactly as received, UTF-8 (a copy). Never log it. */
  public byte[] utf8Bytes() {
    return original.clone();
  }

  /** The body to send upstream (see the class comment for the only two changes), UTF-8 JSON. */
  public byte[] upstreamBody(String upstreamModel) {
    ObjectNode copy = body.deepCopy();
    copy.put("model", upstreamModel);
    if (stream()) {
      JsonNode opts = copy.get("stream_options");
      ObjectNode o = opts != null && opts.isObject() ? (ObjectNode) opts : copy.putObject("stream_options");
      o.put("include_usage", true);
    }
    try {
      return JSON.writeValueAsBytes(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
    }
  }

  @Override
  public String toString() {
    return "OpenAiRequest(" + original.length + " bytes, stream=" + stream() + ")";
  }
}
