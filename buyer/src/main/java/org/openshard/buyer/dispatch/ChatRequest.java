package org.openshard.buyer.dispatch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Objects;
import org.openshard.buyer.BuyerException;

/**
 * An application's OpenAI chat-completions request body. Only the top-level {@code "model"} (the
 * service id) and {@code "stream"} are read; the body travels to the seller byte for byte.
 */
public final class ChatRequest {
  public static final int MAX_BODY_CHARS = 4 * 1024 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  private final String openaiJson;
  private final String model;
  private final boolean stream;

  private ChatRequest(String openaiJson, String model, boolean stream) {
    this.openaiJson = openaiJson;
    this.model = model;
    this.stream = stream;
  }

  /** @throws BuyerException INVALID_ARGUMENT (field openai_request_json[.model|.stream]) */
  public static ChatRequest parse(String openaiJson) throws BuyerException {
    Objects.requireNonNull(openaiJson, "openaiJson");
    if (openaiJson.isEmpty()) {
      throw BuyerException.invalidArgument("openai_request_json", "the request body is empty");
    }
    if (openaiJson.length() > MAX_BODY_CHARS) {
      throw BuyerException.of(org.openshard.proto.v1.ErrorCode.LIMIT_EXCEEDED, "the request body is larger than 4 MiB")
          .withMetadata("limit_chars", Integer.toString(MAX_BODY_CHARS));
    }
    String model = null;
    boolean stream = false;
    try (JsonParser p = JSON.createParser(openaiJson)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw BuyerException.invalidArgument("openai_request_json", "the request body must be a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("model".equals(name)) {
          if (v != JsonToken.VALUE_STRING) {
            throw BuyerException.invalidArgument("openai_request_json.model", "\"model\" must be a string");
          }
          model = p.getText();
        } else if ("stream".equals(name)) {
          if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
            stream = v == JsonToken.VALUE_TRUE;
          } else if (v != JsonToken.VALUE_NULL) {
            throw BuyerException.invalidArgument("openai_request_json.stream", "\"stream\" must be a boolean");
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw BuyerException.invalidArgument("openai_request_json", "the request body is not one JSON object");
      }
    } catch (IOException e) {
      throw BuyerException.invalidArgument("openai_request_json", "the request body is not valid JSON");
    }
    if (model == null || model.isEmpty()) {
      throw BuyerException.invalidArgument("openai_request_json.model", "\"model\" (the service id) is required");
    }
    if (model.length() > 128) {
      throw BuyerException.invalidArgument("openai_request_json.model", "\"model\" is longer than 128 characters");
    }
    return new ChatRequest(openaiJson, model, stream);
  }

  public String openaiJson() {
    return openaiJson;
  }

  /** The service id. */
  public String model() {
    return model;
  }

  public boolean stream() {
    return stream;
  }
}
