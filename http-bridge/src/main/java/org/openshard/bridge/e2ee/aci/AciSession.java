package org.openshard.bridge.e2ee.aci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import org.openshard.bridge.e2ee.E2eeErrorType;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.E2eeMode;
import org.openshard.bridge.e2ee.E2eePrivateKey;
import org.openshard.bridge.e2ee.E2eePublicKey;
import org.openshard.bridge.e2ee.E2eeSession;
import org.openshard.bridge.e2ee.Endpoint;
import org.openshard.bridge.e2ee.FieldCodec;
import org.openshard.bridge.e2ee.FieldDecryptionException;
import org.openshard.bridge.e2ee.ReplayWindow;
import org.openshard.bridge.replay.ReplayKey;
import org.openshard.bridge.replay.ReplayStore;
import org.openshard.bridge.replay.ReplayStoreUnavailableException;
import org.openshard.crypto.CryptoException;

/** One ACI E2EE v2 request whose headers passed validation ({@link AciNegotiation}). */
public final class AciSession implements E2eeSession {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AciSuite suite;
  private final E2eePrivateKey serviceKey;
  private final E2eePublicKey clientKey;
  private final String nonce;
  private final byte[] nonceBytes;
  private final long ts;
  private final Endpoint endpoint;
  private final ReplayStore replay;
  private final Clock clock;
  private volatile String model;
  private volatile FieldCodec.Sealer sealer;

  AciSession(
      AciSuite suite,
      E2eePrivateKey serviceKey,
      E2eePublicKey clientKey,
      String nonce,
      byte[] nonceBytes,
      long ts,
      Endpoint endpoint,
      ReplayStore replay,
      Clock clock) {
    this.suite = suite;
    this.serviceKey = serviceKey;
    this.clientKey = clientKey;
    this.nonce = nonce;
    this.nonceBytes = nonceBytes;
    this.ts = ts;
    this.endpoint = endpoint;
    this.replay = replay;
    this.clock = clock;
  }

  @Override
  public E2eeMode mode() {
    return E2eeMode.ACI_V2;
  }

  public AciSuite suite() {
    return suite;
  }

  @Override
  public ObjectNode openRequest(ObjectNode request) throws E2eeException, ReplayStoreUnavailableException {
    JsonNode m = request.get("model");
    if (m == null || !m.isTextual()) {
      throw new E2eeException(E2eeErrorType.INVALID_PAYLOAD_MODEL, "the request's model must be a string");
    }
    this.model = m.textValue();
    ReplayKey key =
        ReplayKey.of("aci", clientKey.canonicalBytes(), serviceKey.publicKey().canonicalBytes(), nonceBytes);
    if (!replay.claim(key, ReplayWindow.holdFor(clock, ts))) {
      throw new E2eeException(E2eeErrorType.REPLAY_DETECTED, "this (client key, service key, nonce) was already used");
    }
    ObjectNode copy = request.deepCopy();
    int opened =
        AciFields.openRequest(
            copy,
            endpoint,
            (path, ct) -> {
              try {
                return FieldCodec.openText(serviceKey, ct, AciAad.request(suite, path, model, nonce, ts), suite.info());
              } catch (FieldDecryptionException e) {
                throw new E2eeException(E2eeErrorType.DECRYPTION_FAILED, "field " + path + ": " + e.getMessage());
              }
            },
            AciSession::parseArrayOrNull);
    if (opened == 0) {
      throw new E2eeException(E2eeErrorType.DECRYPTION_FAILED, "an E2EE v2 request must carry at least one encrypted field");
    }
    try {
      this.sealer = FieldCodec.sealer(clientKey, suite.info());
    } catch (CryptoException e) {
      throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "cannot encrypt to the client key");
    }
    return copy;
  }

  private static JsonNode parseArrayOrNull(String text) {
    String t = text.trim();
    if (!t.startsWith("[")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(t);
      return n != null && n.isArray() ? n : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public ObjectNode sealResponse(ObjectNode response) {
    ObjectNode copy = response.deepCopy();
    String id = copy.path("id").isTextual() ? copy.get("id").textValue() : "";
    AciFields.sealResponse(copy, endpoint, (path, pt) -> seal(path, pt, id));
    return copy;
  }

  @Override
  public ObjectNode sealChunk(ObjectNode chunk) {
    ObjectNode copy = chunk.deepCopy();
    String id = copy.path("id").isTextual() ? copy.get("id").textValue() : "";
    AciFields.sealChunk(copy, endpoint, (path, pt) -> seal(path, pt, id));
    return copy;
  }

  private String seal(String path, String plaintext, String id) {
    if (sealer == null) {
      throw new IllegalStateException("sealing before the request was opened");
    }
    try {
      return sealer.sealText(plaintext, AciAad.response(suite, path, id, model, nonce, ts));
    } catch (CryptoException e) {
      throw new IllegalStateException("E2EE response encryption failed", e);
    }
  }

  @Override
  public Map<String, String> responseHeaders() {
    return Map.of("x-e2ee-applied", "true", "x-e2ee-version", "2", "x-e2ee-algo", suite.algo());
  }
}
