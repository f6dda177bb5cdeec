package org.openshard.bridge.e2ee;

/** The E2EE error types clients switch on (the OpenAI error body's {@code type}); all are HTTP 400. */
public enum E2eeErrorType {
  HEADER_MISSING("e2ee_header_missing"),
  INVALID_VERSION("e2ee_invalid_version"),
  INVALID_SIGNING_ALGO("e2ee_invalid_signing_algo"),
  INVALID_PUBLIC_KEY("e2ee_invalid_public_key"),
  MODEL_KEY_MISMATCH("e2ee_model_key_mismatch"),
  INVALID_NONCE("e2ee_invalid_nonce"),
  REPLAY_DETECTED("e2ee_replay_detected"),
  INVALID_TIMESTAMP("e2ee_invalid_timestamp"),
  INVALID_PAYLOAD_MODEL("e2ee_invalid_payload_model"),
  DECRYPTION_FAILED("e2ee_decryption_failed"),
  UNSUPPORTED_ENDPOINT("e2ee_unsupported_endpoint"),
  INVALID_E2EE_REQUEST("invalid_e2ee_request");

  private final String wire;

  E2eeErrorType(String wire) {
    this.wire = wire;
  }

  /** The string sent in {@code error.type}. */
  public String wire() {
    return wire;
  }
}
