package org.openshard.bridge.e2ee.legacy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.openshard.bridge.jcs.Jcs;
import org.openshard.bridge.keys.ServiceKeys;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;

/**
 * {@code GET /v1/attestation/report?signing_algo=ecdsa|ed25519[&nonce=…]}: the legacy key
 * discovery document. {@code signing_public_key} is 128 hex (ECDSA, x || y without 04) or 64 hex
 * (Ed25519); {@code signing_address} is the Ethereum address (ECDSA) or the public key hex
 * (Ed25519). No TEE: {@code tee_type} is {@code "none"}; the key is bound to the node identity by
 * {@code identity.signature} (context {@value #CONTEXT}) over the JCS form of {@code
 * {"nonce","signing_algo","signing_public_key"}}.
 */
public final class LegacyReport {
  public static final String CONTEXT = "openshard.v1.LegacyE2eeKey";

  private LegacyReport() {}

  public static ObjectNode document(SigningAlgo algo, ServiceKeys keys, String nonce, Secp256k1PrivateKey identity) {
    String pub;
    String address;
    if (algo == SigningAlgo.ECDSA) {
      byte[] unc = keys.legacyEcdsa().publicKey().uncompressed();
      pub = Bytes.hex(Arrays.copyOfRange(unc, 1, 65));
      address = keys.legacyEcdsa().publicKey().ethereumAddress();
    } else {
      pub = Bytes.hex(keys.legacyEd25519().publicKey().toBytes());
      address = pub;
    }
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.put("signing_algo", algo.wire());
    item.put("signing_public_key", pub);
    item.put("signing_address", address);
    item.put("tee_type", "none");
    if (nonce != null) {
      item.put("request_nonce", nonce);
    }
    ObjectNode o = item.deepCopy();
    ArrayNode all = o.putArray("all_attestations");
    all.add(item);
    ObjectNode signed = JsonNodeFactory.instance.objectNode();
    signed.put("nonce", nonce == null ? "" : nonce);
    signed.put("signing_algo", algo.wire());
    signed.put("signing_public_key", pub);
    ObjectNode id = o.putObject("identity");
    id.put("peer_id", identity.publicKey().ethereumAddress());
    id.put("context", CONTEXT);
    id.put("signature", Bytes.hex(IdentitySignatures.sign(identity, CONTEXT, Jcs.canonicalize(signed))));
    return o;
  }
}
