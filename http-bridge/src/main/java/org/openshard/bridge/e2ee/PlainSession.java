package org.openshard.bridge.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** No E2EE: every transformation is the identity. */
public final class PlainSession implements E2eeSession {
  public static final PlainSession INSTANCE = new PlainSession();

  private PlainSession() {}

  @Override
  public E2eeMode mode() {
    return E2eeMode.PLAIN;
  }

  @Override
  public ObjectNode openRequest(ObjectNode request) {
    return request;
  }

  @Override
  public ObjectNode sealResponse(ObjectNode response) {
    return response;
  }

  @Override
  public ObjectNode sealChunk(ObjectNode chunk) {
    return chunk;
  }

  @Override
  public Map<String, String> responseHeaders() {
    return Map.of();
  }
}
