package org.openshard.crypto.wycheproof;

import static org.openshard.crypto.wycheproof.AcceptableDecisions.Decision.ACCEPT;
import static org.openshard.crypto.wycheproof.AcceptableDecisions.Decision.REJECT;
import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.X25519;

/**
 * Every vector of {@code x25519_test.json} through {@link X25519.PrivateKey#agree}.
 *
 * <p>Acceptable decisions (docs/security.md §2): an all-zero shared secret is rejected (RFC 7748
 * §6.1 check), which covers every low-order and "small" public key (ZeroSharedSecret,
 * LowOrderPublic, SmallPublicKey). Points on the twist and non-canonical u-coordinates (≥ p, or
 * with the top bit set) are accepted and must give exactly the RFC 7748 result, as RFC 7748 §5/§7
 * prescribe. SpecialPublicKey, EdgeCaseMultiplication, EdgeCaseShared and Ktv only describe why a
 * vector is interesting, so they are neutral (ACCEPT); the other flags on the same vector decide.
 */
class X25519WycheproofTest {
  private static final String FILE = "x25519_test.json";

  static final AcceptableDecisions DECISIONS = AcceptableDecisions.of(Map.of(
      "ZeroSharedSecret", REJECT,
      "LowOrderPublic", REJECT,
      "SmallPublicKey", REJECT,
      "Twist", ACCEPT,
      "NonCanonicalPublic", ACCEPT,
      "SpecialPublicKey", ACCEPT,
      "EdgeCaseMultiplication", ACCEPT,
      "EdgeCaseShared", ACCEPT,
      "Ktv", ACCEPT));

  @Test
  void allVectors() {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), DECISIONS);
    for (JsonNode group : root.get("testGroups")) {
      if (!"curve25519".equals(group.path("curve").asText())) {
        throw new AssertionError("unexpected curve " + group.path("curve"));
      }
      for (JsonNode t : group.get("tests")) {
        tally.record(t.get("tcId").asInt(), t.get("result").asText(), WycheproofVectors.flags(t), run(t));
      }
    }
    tally.finish();
  }

  private static Outcome run(JsonNode t) {
    try {
      X25519.PrivateKey own = X25519.PrivateKey.fromBytes(hex(t, "private"));
      X25519.PublicKey peer = X25519.PublicKey.fromBytes(hex(t, "public"));
      return Outcome.accepted(Arrays.equals(own.agree(peer), hex(t, "shared")));
    } catch (CryptoException e) {
      return Outcome.rejected(e.reason().name());
    }
  }
}
