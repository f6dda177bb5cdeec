package org.openshard.crypto.envelope;

import java.nio.charset.StandardCharsets;

/** The ASCII domain labels of docs/protocol.md sections 3 and 4. Changing one breaks the wire format. */
final class Labels {
  static final String ENVELOPE_AAD = "openshard.v1.envelope.aad";
  static final String ENVELOPE_KEK = "openshard.v1.envelope.kek";
  static final String ENVELOPE_QUERY_KEY = "openshard.v1.envelope.query-key";
  static final String ENVELOPE_TRANSCRIPT = "openshard.v1.envelope.transcript";
  static final String STREAM_KEY = "openshard.v1.stream.key";
  static final String STREAM_CHUNK_AAD = "openshard.v1.stream.chunk";
  static final String SESSION_RESUME = "openshard.v1.session.resume";
  static final String SESSION_REQUEST_KEY = "openshard.v1.session.request-key";
  static final String SESSION_QUERY = "openshard.v1.session.query";
  static final String SESSION_TRANSCRIPT = "openshard.v1.session.transcript";

  private Labels() {}

  static byte[] ascii(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }
}
