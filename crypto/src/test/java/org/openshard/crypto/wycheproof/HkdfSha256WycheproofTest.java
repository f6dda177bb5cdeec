package org.openshard.crypto.wycheproof;

import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Hkdf;

/**
 * Every vector of {@code hkdf_sha256_test.json} through {@link Hkdf#sha256}. Valid vectors must
 * give exactly {@code okm}; invalid ones (output size above 255 * 32) must throw. An empty salt is
 * passed as an empty array (Hkdf treats it as 32 zero bytes, per RFC 5869).
 */
class HkdfSha256WycheproofTest {
  private static final String FILE = "hkdf_sha256_test.json";

  @Test
  void allVectors() {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), AcceptableDecisions.none());
    for (JsonNode group : root.get("testGroups")) {
      for (JsonNode t : group.get("tests")) {
        tally.record(t.get("tcId").asInt(), t.get("result").asText(), WycheproofVectors.flags(t), run(t));
      }
    }
    tally.finish();
  }

  private static Outcome run(JsonNode t) {
    try {
      byte[] okm = Hkdf.sha256(hex(t, "ikm"), hex(t, "salt"), hex(t, "info"), t.get("size").asInt());
      return Outcome.accepted(Arrays.equals(okm, hex(t, "okm")));
    } catch (CryptoException e) {
      return Outcome.rejected(e.reason().name());
    }
  }
}
