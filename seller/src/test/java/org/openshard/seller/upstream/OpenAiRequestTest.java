package org.openshard.seller.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.StageException;

class OpenAiRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String RICH =
      "{\"model\":\"llama-3.1-8b\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather?\"}]}],"
          + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
          + "\"tool_choice\":\"auto\",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\","
          + "\"schema\":{\"type\":\"object\"}}},\"temperature\":0.70,\"top_p\":1.0,\"seed\":12345678901234,"
          + "\"frequency_penalty\":-0.5,\"logit_bias\":{\"50256\":-100},\"stop\":[\"\\n\\n\"],\"n\":1,"
          + "\"max_completion_tokens\":256,\"x_vendor_extension\":{\"nested\":[1,2.50,\"three\",null,true]}}";

  @Test
  void onlyModelChangesForNonStreamingRequests() throws Exception {
    OpenAiRequest r = OpenAiRequest.parse(RICH);
    byte[] body = r.upstreamBody("meta-llama/Llama-3.1-8B-Instruct");
    String text = new String(body, StandardCharsets.UTF_8);
    // Byte-exact apart from the model: numbers (0.70, 1.0, 2.50) keep their spelling.
    assertEquals(RICH.replace("\"llama-3.1-8b\"", "\"meta-llama/Llama-3.1-8B-Instruct\""), text);
    assertFalse(r.stream());
    assertEquals(256, r.maxCompletionTokens().getAsLong());
  }

  @Test
  void streamingRequestsGetIncludeUsageAndKeepOtherOptions() throws Exception {
    OpenAiRequest r = OpenAiRequest.parse("{\"model\":\"m\",\"stream\":true,\"messages\":[],\"stream_options\":{\"x\":1}}");
    assertTrue(r.stream());
    assertFalse(r.applicationWantsUsage());
    JsonNode sent = JSON.readTree(r.upstreamBody("up"));
    assertEquals(1, sent.get("stream_options").get("x").asInt());
    assertTrue(sent.get("stream_options").get("include_usage").asBoolean());
    List<String> names = new ArrayList<>();
    sent.fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("model", "stream", "messages", "stream_options"), names);

    OpenAiRequest none = OpenAiRequest.parse("{\"model\":\"m\",\"stream\":true}");
    JsonNode s2 = JSON.readTree(none.upstreamBody("up"));
    assertTrue(s2.get("stream_options").get("include_usage").asBoolean());
    OpenAiRequest wants = OpenAiRequest.parse("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertTrue(wants.applicationWantsUsage());
  }

  @Test
  void theParsedRequestIsNotMutatedByProducingBodies() throws Exception {
    OpenAiRequest r = OpenAiRequest.parse("{\"model\":\"m\",\"stream\":true}");
    r.upstreamBody("a");
    ObjectNode again = (ObjectNode) JSON.readTree(r.upstreamBody("b"));
    assertEquals("b", again.get("model").asText());
    assertEquals("m", r.model());
  }

  @Test
  void rejectsWhatIsNotOneJsonObject() {
    for (String bad : new String[] {"", "[]", "1", "{", "{\"a\":1}{}", "{\"a\":1,\"a\":2}", "{\"stream_options\":3}"}) {
      StageException e = assertThrows(StageException.class, () -> OpenAiRequest.parse(bad), bad);
      assertEquals(ErrorCode.INVALID_QUERY, e.code(), bad);
    }
  }

  @Test
  void parseErrorsDoNotQuoteTheInput() {
    StageException e = assertThrows(StageException.class, () -> OpenAiRequest.parse("{\"content\":\"SECRET-PROMPT\" oops}"));
    assertFalse(e.getMessage().contains("SECRET"), e.getMessage());
  }

  @Test
  void oversizedRequestsAreALimitError() {
    String big = "{\"a\":\"" + "x".repeat(OpenAiRequest.MAX_BYTES) + "\"}";
    assertEquals(ErrorCode.LIMIT_EXCEEDED, assertThrows(StageException.class, () -> OpenAiRequest.parse(big)).code());
  }
}
