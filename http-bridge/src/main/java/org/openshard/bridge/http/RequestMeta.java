package org.openshard.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.util.AttributeKey;
import org.openshard.bridge.backend.RequestContext;

/** What the status page may know about one inference request: metadata only, filled in as it is served. */
final class RequestMeta {
  static final AttributeKey<RequestMeta> KEY = AttributeKey.valueOf(RequestMeta.class, "META");

  private volatile String model = "";
  private volatile RequestContext context;
  private volatile long promptTokens = -1;
  private volatile long completionTokens = -1;

  void model(String m) {
    this.model = m == null ? "" : m;
  }

  String model() {
    return model;
  }

  void context(RequestContext rc) {
    this.context = rc;
  }

  RequestContext context() {
    return context;
  }

  /** Reads prompt/completion token counts from a response or chunk's {@code usage}, if present. */
  void usageFrom(JsonNode responseOrChunk) {
    JsonNode usage = responseOrChunk == null ? null : responseOrChunk.get("usage");
    if (usage == null || !usage.isObject()) {
      return;
    }
    if (usage.path("prompt_tokens").canConvertToLong()) {
      promptTokens = usage.get("prompt_tokens").asLong();
    }
    if (usage.path("completion_tokens").canConvertToLong()) {
      completionTokens = usage.get("completion_tokens").asLong();
    }
  }

  long promptTokens() {
    return promptTokens;
  }

  long completionTokens() {
    return completionTokens;
  }
}
