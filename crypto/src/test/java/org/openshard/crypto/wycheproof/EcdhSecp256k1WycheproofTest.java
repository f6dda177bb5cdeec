package org.openshard.crypto.wycheproof;

import static org.openshard.crypto.wycheproof.AcceptableDecisions.Decision.ACCEPT;
import static org.openshard.crypto.wycheproof.AcceptableDecisions.Decision.REJECT;
import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.CryptoException;
import org.openshard.crypto.Secp256k1;
import org.openshard.crypto.Secp256k1PrivateKey;
import org.openshard.crypto.Secp256k1PublicKey;

/**
 * Every vector of {@code ecdh_secp256k1_test.json}: the X.509 public key through {@link
 * Secp256k1PublicKey#fromX509}, then {@link Secp256k1PrivateKey#agree}. Any exception is a
 * rejection; an accepted vector must yield exactly the expected shared x-coordinate.
 *
 * <p>Acceptable decisions (docs/security.md §2): compressed points are accepted (SEC1 allows them
 * and decodePoint validates them); non-DER ASN.1 (InvalidAsn) is rejected because fromX509 requires
 * byte-exact DER; every explicit-parameters encoding (UnnamedCurve and the parameter tweaks that
 * come with it) is rejected because only the secp256k1 named-curve OID is accepted.
 */
class EcdhSecp256k1WycheproofTest {
  private static final String FILE = "ecdh_secp256k1_test.json";

  static final AcceptableDecisions DECISIONS = AcceptableDecisions.of(Map.of(
      "CompressedPublic", ACCEPT,
      "CompressedPoint", ACCEPT,
      "InvalidAsn", REJECT,
      "UnnamedCurve", REJECT,
      "UnusedParam", REJECT,
      "ModifiedCofactor", REJECT,
      "ModifiedGenerator", REJECT,
      "ModifiedCurveParameter", REJECT,
      "WrongOrder", REJECT,
      "NoCofactor", REJECT));

  @Test
  void allVectors() {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), DECISIONS);
    for (JsonNode group : root.get("testGroups")) {
      if (!"secp256k1".equals(group.path("curve").asText()) || !"asn".equals(group.path("encoding").asText())) {
        throw new AssertionError("unexpected group: curve=" + group.path("curve") + " encoding=" + group.path("encoding"));
      }
      for (JsonNode t : group.get("tests")) {
        List<String> flags = WycheproofVectors.flags(t);
        tally.record(t.get("tcId").asInt(), t.get("result").asText(), flags, run(t));
      }
    }
    tally.finish();
  }

  private static Outcome run(JsonNode t) {
    try {
      Secp256k1PublicKey peer = Secp256k1PublicKey.fromX509(hex(t, "public"));
      BigInteger d = new BigInteger(1, hex(t, "private"));
      Secp256k1PrivateKey own = Secp256k1PrivateKey.fromBytes(Secp256k1.to32Bytes(d));
      byte[] shared = own.agree(peer);
      return Outcome.accepted(Arrays.equals(shared, hex(t, "shared")));
    } catch (CryptoException e) {
      return Outcome.rejected(e.getMessage());
    }
  }
}
