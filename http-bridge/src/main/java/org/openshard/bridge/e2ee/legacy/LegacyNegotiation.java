package org.openshard.bridge.e2ee.legacy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openshard.bridge.e2ee.E2eeErrorType;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.E2eePrivateKey;
import org.openshard.bridge.e2ee.E2eePublicKey;
import org.openshard.bridge.e2ee.Endpoint;
import org.openshard.bridge.e2ee.HeaderView;
import org.openshard.bridge.e2ee.HexInput;
import org.openshard.bridge.e2ee.ReplayWindow;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.bridge.replay.ReplayStore;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Ed25519;
import org.openshard.crypto.Secp256k1PublicKey;
import org.openshard.crypto.X25519;

/**
 * Validates legacy E2EE headers, in this order: endpoint ({@code /v1/completions} →
 * invalid_e2ee_request), signing algo, key headers present, version, nonce/timestamp pairing,
 * client key, model key, then (strict v2) nonce and timestamp.
 */
public final class LegacyNegotiation {
  public static final String SIGNING_ALGO = "x-signing-algo";
  public static final String CLIENT_KEY = "x-client-pub-key";
  public static final String MODEL_KEY = "x-model-pub-key";
  public static final String VERSION = "x-e2ee-version";
  public static final String NONCE = "x-e2ee-nonce";
  public static final String TIMESTAMP = "x-e2ee-timestamp";
  static final int MIN_NONCE_CHARS = 16;
  static final int MAX_NONCE_CHARS = 256;

  private LegacyNegotiation() {}

  /** The legacy path is selected by the presence of X-Signing-Algo. */
  public static boolean present(HeaderView h) {
    return h.get(SIGNING_ALGO) != null;
  }

  /**
   * @return the session, or null if the endpoint carries no legacy E2EE fields (treated as plain)
   */
  public static LegacySession negotiate(
      HeaderView h, Endpoint endpoint, ServiceKeys keys, ReplayStore replay, Clock clock) throws E2eeException {
    if (endpoint == Endpoint.COMPLETIONS) {
      throw new E2eeException(E2eeErrorType.INVALID_E2EE_REQUEST, "E2EE is not supported on /v1/completions; use /v1/chat/completions");
    }
    if (endpoint != Endpoint.CHAT_COMPLETIONS) {
      return null;
    }
    SigningAlgo algo = SigningAlgo.parse(h.get(SIGNING_ALGO));
    if (algo == null) {
      throw new E2eeException(E2eeErrorType.INVALID_SIGNING_ALGO, "X-Signing-Algo must be ecdsa or ed25519");
    }
    List<String> missing = new ArrayList<>();
    for (String name : new String[] {CLIENT_KEY, MODEL_KEY}) {
      if (h.get(name) == null || h.get(name).isBlank()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new E2eeException(E2eeErrorType.HEADER_MISSING, "missing E2EE headers: " + String.join(", ", missing));
    }
    String version = h.get(VERSION) == null ? "" : h.get(VERSION).trim();
    if (!version.isEmpty() && !version.equals("1") && !version.equals("2")) {
      throw new E2eeException(E2eeErrorType.INVALID_VERSION, "X-E2EE-Version must be empty, 1 or 2");
    }
    String nonce = h.get(NONCE);
    String tsText = h.get(TIMESTAMP);
    if ((nonce == null) != (tsText == null)) {
      throw new E2eeException(
          E2eeErrorType.HEADER_MISSING, "X-E2EE-Nonce and X-E2EE-Timestamp must be sent together");
    }
    boolean strict = version.equals("2") || nonce != null;
    if (strict && nonce == null) {
      throw new E2eeException(E2eeErrorType.HEADER_MISSING, "E2EE v2 needs X-E2EE-Nonce and X-E2EE-Timestamp");
    }

    byte[] clientBytes = HexInput.parseOrNull(h.get(CLIENT_KEY));
    byte[] modelBytes = HexInput.parseOrNull(h.get(MODEL_KEY));
    E2eePrivateKey serviceKey;
    byte[] serviceKeyId;
    E2eePublicKey clientAgreementKey;
    byte[] clientCanonical;
    try {
      if (algo == SigningAlgo.ECDSA) {
        Secp256k1PublicKey client = parseEcdsaKey(clientBytes);
        if (client == null) {
          throw new E2eeException(
              E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key must be a secp256k1 key: 64 bytes, or 65 starting 04, in hex");
        }
        clientAgreementKey = E2eePublicKey.of(client);
        clientCanonical = client.uncompressed();
        Secp256k1PublicKey model = parseEcdsaKey(modelBytes);
        if (model == null || !model.equals(keys.legacyEcdsa().publicKey())) {
          throw new E2eeException(E2eeErrorType.MODEL_KEY_MISMATCH, "X-Model-Pub-Key is not this service's ecdsa key");
        }
        serviceKey = E2eePrivateKey.of(keys.legacyEcdsa());
        serviceKeyId = keys.legacyEcdsa().publicKey().uncompressed();
      } else {
        Ed25519.PublicKey client = parseEd25519Key(clientBytes);
        X25519.PublicKey clientX = client == null ? null : Ed25519Conversion.toX25519(client);
        serviceKey = E2eePrivateKey.of(Ed25519Conversion.toX25519(keys.legacyEd25519()));
        if (clientX == null) {
          throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key must be a 32-byte Ed25519 key in hex");
        }
        clientAgreementKey = E2eePublicKey.of(clientX);
        try {
          Bytes.wipe(serviceKey.agree(clientAgreementKey)); // rejects small-order keys
        } catch (CryptoException e) {
          throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key is a small-order Ed25519 key");
        }
        clientCanonical = client.toBytes();
        byte[] own = keys.legacyEd25519().publicKey().toBytes();
        if (modelBytes == null || !Arrays.equals(modelBytes, own)) {
          throw new E2eeException(E2eeErrorType.MODEL_KEY_MISMATCH, "X-Model-Pub-Key is not this service's ed25519 key");
        }
        serviceKeyId = own;
      }
    } catch (CryptoException e) {
      throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key is not a valid " + algo.wire() + " key");
    }

    long ts = 0;
    String n = null;
    if (strict) {
      n = nonce.trim();
      if (n.length() < MIN_NONCE_CHARS || n.length() > MAX_NONCE_CHARS || !printableWithoutPipe(n)) {
        throw new E2eeException(
            E2eeErrorType.INVALID_NONCE,
            "X-E2EE-Nonce must be " + MIN_NONCE_CHARS + ".." + MAX_NONCE_CHARS + " printable characters without '|'");
      }
      Long parsed = ReplayWindow.parseTimestamp(tsText);
      if (parsed == null) {
        throw new E2eeException(E2eeErrorType.INVALID_TIMESTAMP, "X-E2EE-Timestamp must be Unix seconds");
      }
      if (!ReplayWindow.accepts(clock, parsed)) {
        throw new E2eeException(E2eeErrorType.INVALID_TIMESTAMP, "X-E2EE-Timestamp is more than 300 s from the server's time");
      }
      ts = parsed;
    }
    return new LegacySession(algo, serviceKey, serviceKeyId, clientAgreementKey, clientCanonical, strict, n, ts, replay, clock);
  }

  private static Secp256k1PublicKey parseEcdsaKey(byte[] b) {
    if (b == null || !(b.length == 64 || (b.length == 65 && b[0] == 0x04))) {
      return null;
    }
    try {
      return Secp256k1PublicKey.fromBytesLenient(b);
    } catch (CryptoException e) {
      return null;
    }
  }

  private static Ed25519.PublicKey parseEd25519Key(byte[] b) {
    if (b == null || b.length != 32) {
      return null;
    }
    try {
      return Ed25519.PublicKey.fromBytes(b);
    } catch (CryptoException e) {
      return null;
    }
  }

  private static boolean printableWithoutPipe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '|') {
        return false;
      }
    }
    return true;
  }
}
