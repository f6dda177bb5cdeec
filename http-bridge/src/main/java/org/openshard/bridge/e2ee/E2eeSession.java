package org.openshard.bridge.e2ee;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.openshard.bridge.replay.ReplayStoreUnavailableException;

/**
 * The E2EE state of one request: opens the request's encrypted fields and seals the response's.
 * Created by {@link E2eeNegotiator} once the headers are valid. Not thread-safe: one request's
 * response (or stream chunks, in order) at a time.
 */
public interface E2eeSession {
  E2eeMode mode();

  /**
   * Validates the body-dependent rules, claims the replay tuple where the mode has one, and returns
   * a copy of {@code request} with every encrypted field decrypted and restored.
   */
  ObjectNode openRequest(ObjectNode request) throws E2eeException, ReplayStoreUnavailableException;

  /** Returns {@code response} (a full, non-streaming response object) with its fields sealed. */
  ObjectNode sealResponse(ObjectNode response);

  /** Returns one stream chunk with its fields sealed. */
  ObjectNode sealChunk(ObjectNode chunk);

  /** Response headers announcing the mode ({@code X-E2EE-*}); empty for plain requests. */
  Map<String, String> responseHeaders();
}
