package org.openshard.crypto.wycheproof;

import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Ed25519;

/**
 * Every vector of {@code ed25519_test.json}: the group's raw public key through {@link
 * Ed25519.PublicKey#fromBytes}, each signature through {@link Ed25519.PublicKey#verify}. A key the
 * parser refuses counts as a rejection of every signature in its group.
 */
class Ed25519WycheproofTest {
  private static final String FILE = "ed25519_test.json";

  @Test
  void allVectors() {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), AcceptableDecisions.none());
    for (JsonNode group : root.get("testGroups")) {
      JsonNode pk = group.get("publicKey");
      if (!"edwards25519".equals(pk.path("curve").asText())) {
        throw new AssertionError("unexpected curve " + pk.path("curve"));
      }
      Ed25519.PublicKey key;
      String keyError = null;
      try {
        key = Ed25519.PublicKey.fromBytes(hex(pk, "pk"));
      } catch (CryptoException e) {
        key = null;
        keyError = e.reason().name();
      }
      for (JsonNode t : group.get("tests")) {
        List<String> flags = WycheproofVectors.flags(t);
        Outcome o = key == null
            ? Outcome.rejected("public key: " + keyError)
            : Outcome.verified(key.verify(hex(t, "msg"), hex(t, "sig")));
        tally.record(t.get("tcId").asInt(), t.get("result").asText(), flags, o);
      }
    }
    tally.finish();
  }
}
