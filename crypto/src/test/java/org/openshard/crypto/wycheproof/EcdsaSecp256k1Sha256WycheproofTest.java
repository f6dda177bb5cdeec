package org.openshard.crypto.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1Ecdsa;
import org.openshard.crypto.Secp256k1PublicKey;

/**
 * Every vector of {@code ecdsa_secp256k1_sha256_test.json} through {@link Secp256k1Ecdsa#verify}.
 * Each group's key is read from its uncompressed SEC1 hex and must equal the key parsed from its
 * X.509 DER form with {@link Secp256k1PublicKey#fromX509}. BER-encoded signatures are invalid in
 * the file and must be rejected by the strict DER parser; high-s signatures are valid and accepted
 * (plain ECDSA; protocol identity signatures require low s, see IdentitySignatures).
 */
class EcdsaSecp256k1Sha256WycheproofTest {
  private static final String FILE = "ecdsa_secp256k1_sha256_test.json";

  @Test
  void allVectors() throws CryptoException {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), AcceptableDecisions.none());
    for (JsonNode group : root.get("testGroups")) {
      JsonNode pk = group.get("publicKey");
      if (!"secp256k1".equals(pk.path("curve").asText()) || !"SHA-256".equals(group.path("sha").asText())) {
        throw new AssertionError("unexpected group: curve=" + pk.path("curve") + " sha=" + group.path("sha"));
      }
      Secp256k1PublicKey key = Secp256k1PublicKey.fromBytes(hex(pk, "uncompressed"));
      assertEquals(key, Secp256k1PublicKey.fromX509(hex(group, "publicKeyDer")), "SEC1 and X.509 forms differ");
      for (JsonNode t : group.get("tests")) {
        List<String> flags = WycheproofVectors.flags(t);
        boolean ok = Secp256k1Ecdsa.verify(key, hex(t, "msg"), hex(t, "sig"));
        tally.record(t.get("tcId").asInt(), t.get("result").asText(), flags, Outcome.verified(ok));
      }
    }
    tally.finish();
  }
}
