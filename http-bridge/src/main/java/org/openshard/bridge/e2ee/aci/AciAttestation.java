package org.openshard.bridge.e2ee.aci;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.Hashes;
import org.openshard.crypto.IdentitySignatures;
import org.openshard.crypto.Secp256k1PrivateKey;

/**
 * The {@code GET /v1/aci/attestation} document. There is no TEE: {@code tee_type} is {@code "none"}
 * and the evidence says so. What binds the keyset instead is the node's secp256k1 identity key
 * (whose Ethereum address is the peer id the registry lists):
 *
 * <ul>
 *   <li>{@code identity.signature}: {@link IdentitySignatures} with context {@value
 *       #KEYSET_CONTEXT} over the 32 keyset digest bytes;
 *   <li>{@code identity.report_data_signature}: context {@value #REPORT_CONTEXT} over the 64
 *       report_data bytes, so a fresh client nonce proves the key is live.
 * </ul>
 *
 * {@code report_data} = hex(keyset digest (32) || sha256(nonce bytes) (32)).
 */
public final class AciAttestation {
  public static final String KEYSET_CONTEXT = "openshard.v1.AciKeyset";
  public static final String REPORT_CONTEXT = "openshard.v1.AciReportData";
  public static final String TEE_TYPE = "none";

  private final AciKeyset keyset;
  private final Secp256k1PrivateKey identity;
  private final byte[] keysetSignature;
  private final String serving;

  public AciAttestation(AciKeyset keyset, Secp256k1PrivateKey identity, String serving) {
    this.keyset = keyset;
    this.identity = identity;
    this.keysetSignature = IdentitySignatures.sign(identity, KEYSET_CONTEXT, keyset.digestBytes());
    this.serving = serving;
  }

  public AciKeyset keyset() {
    return keyset;
  }

  /** The report_data bytes for {@code nonce} (may be empty). */
  public byte[] reportData(byte[] nonce) {
    return Bytes.concat(keyset.digestBytes(), Hashes.sha256(nonce));
  }

  public ObjectNode document(byte[] nonce) {
    byte[] reportData = reportData(nonce);
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("api_version", "aci/1");
    o.put("workload_keyset_digest", keyset.digest());
    ObjectNode att = o.putObject("attestation");
    att.put("tee_type", TEE_TYPE);
    att.set("workload_keyset", keyset.json());
    att.put("report_data", Bytes.hex(reportData));
    ObjectNode ev = att.putObject("evidence");
    ev.put("format", "none");
    ev.put("nonce", Bytes.hex(nonce));
    ev.put(
        "statement",
        "No trusted execution environment: this bridge runs on an ordinary host and can read decrypted"
            + " requests. The keyset is bound to the node identity key (see identity), not to hardware.");
    ObjectNode caps = o.putObject("service_capabilities");
    caps.putArray("supported_e2ee_versions").add("2");
    caps.put("serving", serving);
    ObjectNode id = o.putObject("identity");
    id.put("peer_id", identity.publicKey().ethereumAddress());
    id.put("public_key", Bytes.hex(identity.publicKey().compressed()));
    id.put("context", KEYSET_CONTEXT);
    id.put("signature", Bytes.hex(keysetSignature));
    id.put("report_data_context", REPORT_CONTEXT);
    id.put("report_data_signature", Bytes.hex(IdentitySignatures.sign(identity, REPORT_CONTEXT, reportData)));
    return o;
  }
}
