package org.openshard.buyer.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The convenience fields of gateway events, read from decrypted OpenAI JSON with a streaming parser
 * (no tree is built: this runs once per streamed token).
 */
final class OpenAiJson {
  private static final JsonFactory JSON = new JsonFactory();

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
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("choices".equals(name) && v == JsonToken.START_ARRAY) {
          return p.nextToken() == JsonToken.START_OBJECT ? fieldOfFirstChoice(p, container) : "";
        }
        p.skipChildren();
      }
      return "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Inside choices[0] (positioned after its START_OBJECT): container.content as text. */
  private static String fieldOfFirstChoice(JsonParser p, String container) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (container.equals(name) && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String inner = p.currentName();
          JsonToken iv = p.nextToken();
          if ("content".equals(inner)) {
            return iv == JsonToken.VALUE_STRING ? p.getText() : "";
          }
          p.skipChildren();
        }
        return "";
      }
      p.skipChildren();
    }
    return "";
  }
}
