package org.openshard.bridge.e2ee.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import org.openshard.bridge.e2ee.E2eeErrorType;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.E2eeMode;
import org.openshard.bridge.e2ee.E2eePrivateKey;
import org.openshard.bridge.e2ee.E2eePublicKey;
import org.openshard.bridge.e2ee.E2eeSession;
import org.openshard.bridge.e2ee.FieldCodec;
import org.openshard.bridge.e2ee.FieldDecryptionException;
import org.openshard.bridge.e2ee.ReplayWindow;
import org.openshard.bridge.replay.ReplayKey;
import org.openshard.bridge.replay.ReplayStore;
import org.openshard.bridge.replay.ReplayStoreUnavailableException;
import org.openshard.crypto.CryptoException;

/**
 * One legacy (Dstack vllm-proxy / NEAR AI) E2EE chat request whose headers passed validation.
 * Request fields: {@code messages[i].content} strings ({@code c=-}) and {@code type: "text"} parts'
 * {@code text} ({@code c=<part index>}). Response fields: {@code choices[i].message.content} and
 * {@code .reasoning_content}; in streams {@code choices[i].delta.content} and {@code
 * .reasoning_content}. Empty strings are left as they are. In strict v2 the replay tuple is claimed
 * after successful decryption.
 */
public final class LegacySession implements E2eeSession {
  private static final String[] RESPONSE_FIELDS = {"content", "reasoning_content"};

  private final SigningAlgo algo;
  private final E2eePrivateKey serviceKey;
  private final byte[] serviceKeyId;
  private final E2eePublicKey clientAgreementKey;
  private final byte[] clientKeyBytes;
  private final boolean strict;
  private final String nonce;
  private final long ts;
  private final ReplayStore replay;
  private final Clock clock;
  private volatile FieldCodec.Sealer sealer;

  LegacySession(
      SigningAlgo algo,
      E2eePrivateKey serviceKey,
      byte[] serviceKeyId,
      E2eePublicKey clientAgreementKey,
      byte[] clientKeyBytes,
      boolean strict,
      String nonce,
      long ts,
      ReplayStore replay,
      Clock clock) {
    this.algo = algo;
    this.serviceKey = serviceKey;
    this.serviceKeyId = serviceKeyId;
    this.clientAgreementKey = clientAgreementKey;
    this.clientKeyBytes = clientKeyBytes;
    this.strict = strict;
    this.nonce = nonce;
    this.ts = ts;
    this.replay = replay;
    this.clock = clock;
  }

  @Override
  public E2eeMode mode() {
    return strict ? E2eeMode.LEGACY_V2 : E2eeMode.LEGACY_V1;
  }

  public SigningAlgo algo() {
    return algo;
  }

  @Override
  public ObjectNode openRequest(ObjectNode request) throws E2eeException, ReplayStoreUnavailableException {
    ObjectNode copy = request.deepCopy();
    String model = copy.path("model").isTextual() ? copy.get("model").textValue() : "";
    JsonNode messages = copy.get("messages");
    if (messages != null && messages.isArray()) {
      for (int m = 0; m < messages.size(); m++) {
        JsonNode msg = messages.get(m);
        if (!msg.isObject()) {
          continue;
        }
        JsonNode content = msg.get("content");
        if (content != null && content.isTextual()) {
          ((ObjectNode) msg).put("content", open(content.textValue(), model, m, null));
        } else if (content != null && content.isArray()) {
          for (int c = 0; c < content.size(); c++) {
            JsonNode part = content.get(c);
            if (part.isObject() && "text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
              ((ObjectNode) part).put("text", open(part.get("text").textValue(), model, m, c));
            }
          }
        }
      }
    }
    if (strict) {
      ReplayKey key = ReplayKey.of("legacy-" + algo.wire(), clientKeyBytes, serviceKeyId, nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (!replay.claim(key, ReplayWindow.holdFor(clock, ts))) {
        throw new E2eeException(E2eeErrorType.REPLAY_DETECTED, "this nonce was already used with this client key");
      }
    }
    try {
      this.sealer = FieldCodec.sealer(clientAgreementKey, algo.info());
    } catch (CryptoException e) {
      throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "cannot encrypt to the client key");
    }
    return copy;
  }

  private String open(String ciphertext, String model, int message, Integer part) throws E2eeException {
    byte[] aad = strict ? LegacyAad.request(algo, model, message, part, nonce, ts) : null;
    try {
      return FieldCodec.openText(serviceKey, ciphertext, aad, algo.info());
    } catch (FieldDecryptionException e) {
      throw new E2eeException(
          E2eeErrorType.DECRYPTION_FAILED,
          "messages[" + message + "]" + (part == null ? ".content" : ".content[" + part + "].text") + ": " + e.getMessage());
    }
  }

  @Override
  public ObjectNode sealResponse(ObjectNode response) {
    return seal(response, "message");
  }

  @Override
  public ObjectNode sealChunk(ObjectNode chunk) {
    return seal(chunk, "delta");
  }

  private ObjectNode seal(ObjectNode obj, String container) {
    if (sealer == null) {
      throw new IllegalStateException("sealing before the request was opened");
    }
    ObjectNode copy = obj.deepCopy();
    String model = copy.path("model").isTextual() ? copy.get("model").textValue() : "";
    String id = copy.path("id").isTextual() ? copy.get("id").textValue() : "";
    JsonNode choices = copy.get("choices");
    if (choices == null || !choices.isArray()) {
      return copy;
    }
    for (int pos = 0; pos < choices.size(); pos++) {
      JsonNode target = choices.get(pos).get(container);
      if (target == null || !target.isObject()) {
        continue;
      }
      for (String f : RESPONSE_FIELDS) {
        JsonNode v = target.get(f);
        if (v != null && v.isTextual() && !v.textValue().isEmpty()) {
          byte[] aad = strict ? LegacyAad.response(algo, model, id, pos, f, nonce, ts) : null;
          try {
            ((ObjectNode) target).put(f, sealer.sealText(v.textValue(), aad));
          } catch (CryptoException e) {
            throw new IllegalStateException("E2EE response encryption failed", e);
          }
        }
      }
    }
    return copy;
  }

  @Override
  public Map<String, String> responseHeaders() {
    return Map.of("x-e2ee-applied", "true", "x-e2ee-version", strict ? "2" : "1", "x-e2ee-algo", algo.wire());
  }
}
