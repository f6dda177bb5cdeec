package org.openshard.bridge.e2ee;

/** The API endpoints, as far as E2EE cares. */
public enum Endpoint {
  CHAT_COMPLETIONS("/v1/chat/completions"),
  COMPLETIONS("/v1/completions"),
  MODELS("/v1/models"),
  OTHER("");

  private final String path;

  Endpoint(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }
}
