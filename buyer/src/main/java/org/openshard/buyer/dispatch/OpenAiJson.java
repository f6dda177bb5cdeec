package org.openshard.buyer.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The convenience fields of gateway events, read from decrypted OpenAI JSON. */
final class OpenAiJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OpenAiJson() {}

  /** choices[0].delta.content of a chat.completion.chunk, "" if none or unparsable. */
  static String contentDelta(String chunkJson) {
    return text(chunkJson, "delta");
  }

  /** choices[0].message.content of a chat.completion, "" if none or unparsable. */
  static String messageContent(String responseJson) {
    return text(responseJson, "message");
  }

  private static String text(String json, String container) {
    try {
      JsonNode n = MAPPER.readTree(json).path("choices").path(0).path(container).path("content");
      return n.isTextual() ? n.asText() : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
