package org.openshard.bridge.e2ee.aci;

import java.time.Clock;
import java.util.ArrayList;
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
import org.openshard.crypto.Secp256k1PublicKey;

/**
 * Validates ACI E2EE v2 headers in the reference gateway's order: version, headers present, nonce
 * format, timestamp window, model key, client key. (Payload model, replay claim and decryption
 * follow in {@link AciSession#openRequest}.)
 */
public final class AciNegotiation {
  public static final String VERSION = "x-e2ee-version";
  public static final String CLIENT_KEY = "x-client-pub-key";
  public static final String MODEL_KEY = "x-model-pub-key";
  public static final String NONCE = "x-e2ee-nonce";
  public static final String TIMESTAMP = "x-e2ee-timestamp";
  private static final String[] ALL = {VERSION, CLIENT_KEY, MODEL_KEY, NONCE, TIMESTAMP};

  private AciNegotiation() {}

  /** True if any ACI header is present (and X-Signing-Algo is not: the caller checks that first). */
  public static boolean present(HeaderView h) {
    for (String name : ALL) {
      if (h.get(name) != null) {
        return true;
      }
    }
    return false;
  }

  public static AciSession negotiate(
      HeaderView h, Endpoint endpoint, ServiceKeys keys, ReplayStore replay, Clock clock) throws E2eeException {
    if (endpoint != Endpoint.CHAT_COMPLETIONS && endpoint != Endpoint.COMPLETIONS) {
      throw new E2eeException(E2eeErrorType.UNSUPPORTED_ENDPOINT, "E2EE v2 defines no encrypted fields for this endpoint");
    }
    String version = h.get(VERSION);
    if (version != null && !version.trim().equals("2")) {
      throw new E2eeException(E2eeErrorType.INVALID_VERSION, "X-E2EE-Version must be 2");
    }
    List<String> missing = new ArrayList<>();
    for (String name : ALL) {
      String v = h.get(name);
      if (v == null || v.isBlank()) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new E2eeException(E2eeErrorType.HEADER_MISSING, "missing E2EE headers: " + String.join(", ", missing));
    }
    String nonce = h.get(NONCE).trim();
    if (!HexInput.isHexOfLength(nonce, 64)) {
      throw new E2eeException(E2eeErrorType.INVALID_NONCE, "X-E2EE-Nonce must be exactly 64 hex characters");
    }
    Long ts = ReplayWindow.parseTimestamp(h.get(TIMESTAMP));
    if (ts == null) {
      throw new E2eeException(E2eeErrorType.INVALID_TIMESTAMP, "X-E2EE-Timestamp must be Unix seconds");
    }
    if (!ReplayWindow.accepts(clock, ts)) {
      throw new E2eeException(E2eeErrorType.INVALID_TIMESTAMP, "X-E2EE-Timestamp is more than 300 s from the server's time");
    }
    AciSuite suite = matchModelKey(h.get(MODEL_KEY), keys);
    E2eePrivateKey serviceKey = suite == AciSuite.X25519 ? keys.aciX25519() : keys.aciSecp256k1();
    byte[] clientBytes = HexInput.parseOrNull(h.get(CLIENT_KEY));
    if (clientBytes == null) {
      throw new E2eeException(E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key is not hex");
    }
    E2eePublicKey clientKey;
    try {
      clientKey = E2eePublicKey.decode(suite.curve(), clientBytes);
      // Rejects small-order X25519 keys (all-zero shared secret) before any work is done.
      Bytes.wipe(serviceKey.agree(clientKey));
    } catch (CryptoException e) {
      throw new E2eeException(
          E2eeErrorType.INVALID_PUBLIC_KEY, "X-Client-Pub-Key is not a valid " + suite.curve() + " public key");
    }
    byte[] nonceBytes;
    try {
      nonceBytes = Bytes.fromHex(nonce);
    } catch (CryptoException e) {
      throw new E2eeException(E2eeErrorType.INVALID_NONCE, "X-E2EE-Nonce is not hex");
    }
    return new AciSession(suite, serviceKey, clientKey, nonce, nonceBytes, ts, endpoint, replay, clock);
  }

  private static AciSuite matchModelKey(String header, ServiceKeys keys) throws E2eeException {
    byte[] b = HexInput.parseOrNull(header);
    if (b != null) {
      if (b.length == 32 && java.util.Arrays.equals(b, keys.aciX25519().publicKey().canonicalBytes())) {
        return AciSuite.X25519;
      }
      if (b.length == 33 || b.length == 64 || b.length == 65) {
        try {
          if (E2eePublicKey.of(Secp256k1PublicKey.fromBytesLenient(b)).equals(keys.aciSecp256k1().publicKey())) {
            return AciSuite.SECP256K1;
          }
        } catch (CryptoException e) {
          // not a point: falls through to the mismatch below
        }
      }
    }
    throw new E2eeException(E2eeErrorType.MODEL_KEY_MISMATCH, "X-Model-Pub-Key is not one of this service's E2EE keys");
  }
}
