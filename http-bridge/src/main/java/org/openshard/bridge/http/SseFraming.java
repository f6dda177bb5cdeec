package org.openshard.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpData;
import java.nio.charset.StandardCharsets;

/** Server-sent event framing of the OpenAI streaming API: {@code data: <compact JSON>\n\n}, then {@code data: [DONE]\n\n}. */
public final class SseFraming {
  private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE_BYTES = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private SseFraming() {}

  public static HttpData event(JsonNode json) {
    byte[] j = BridgeJson.bytes(json);
    byte[] out = new byte[PREFIX.length + j.length + 2];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(j, 0, out, PREFIX.length, j.length);
    out[out.length - 2] = '\n';
    out[out.length - 1] = '\n';
    return HttpData.wrap(out);
  }

  public static HttpData done() {
    return HttpData.wrap(DONE_BYTES.clone());
  }
}
