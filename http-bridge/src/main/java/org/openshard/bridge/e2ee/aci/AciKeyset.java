package org.openshard.bridge.e2ee.aci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;

/**
 * The workload keyset the ACI attestation publishes, and its digest {@code "sha256:" +
 * hex(sha256(JCS(keyset)))}:
 *
 * <pre>{"subject","not_after":<unix s>,
 *  "receipt_signing_keys":[{"key_id","algo":"ed25519","public_key"}],
 *  "e2ee_public_keys":[{"key_id","algo":"x25519-aes-256-gcm-hkdf-sha256","public_key":<32-byte hex>},
 *                      {"key_id","algo":"secp256k1-aes-256-gcm-hkdf-sha256","public_key":<65-byte hex, 04…>}],
 *  "tls_public_keys":[]}</pre>
 *
 * Immutable.
 */
public final class AciKeyset {
  private final ObjectNode json;
  private final byte[] digest;

  private AciKeyset(ObjectNode json) {
    this.json = json;
    this.digest = Hashes.sha256(Jcs.canonicalize(json));
  }

  public static AciKeyset create(ServiceKeys keys, String subject, long notAfterUnixSeconds) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("subject", subject);
    o.put("not_after", notAfterUnixSeconds);
    ArrayNode receipt = o.putArray("receipt_signing_keys");
    receipt
        .addObject()
        .put("key_id", keys.receiptKeyId())
        .put("algo", "ed25519")
        .put("public_key", Bytes.hex(keys.receiptKey().publicKey().toBytes()));
    ArrayNode e2ee = o.putArray("e2ee_public_keys");
    e2ee.addObject()
        .put("key_id", keys.aciX25519KeyId())
        .put("algo", AciSuite.X25519.algo())
        .put("public_key", keys.aciX25519().publicKey().hex());
    e2ee.addObject()
        .put("key_id", keys.aciSecp256k1KeyId())
        .put("algo", AciSuite.SECP256K1.algo())
        .put("public_key", keys.aciSecp256k1().publicKey().hex());
    o.putArray("tls_public_keys");
    return new AciKeyset(o);
  }

  /** A copy of the keyset JSON. */
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The 32 digest bytes. */
  public byte[] digestBytes() {
    return digest.clone();
  }

  /** {@code sha256:<hex>}. */
  public String digest() {
    return "sha256:" + Bytes.hex(digest);
  }
}
