package org.openshard.crypto.wycheproof;

import static org.openshard.crypto.wycheproof.WycheproofVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openshard.crypto.AesGcm;
import org.openshard.crypto.AesGcmTestAccess;
import org.openshard.crypto.Bytes;
import org.openshard.crypto.CryptoException;

/**
 * Every vector of {@code aes_gcm_test.json} through {@link AesGcm}.
 *
 * <p>256-bit keys with 12-byte IVs go through the public API ({@code AesGcm.of}, {@code
 * encrypt}/{@code decrypt}); other key sizes and IV lengths through the package-private test entry
 * points. A valid vector must encrypt to {@code ct || tag} and decrypt back to {@code msg}. An
 * invalid one must fail to decrypt; with an empty IV (ZeroLengthIv) encryption must fail too.
 *
 * <p>Tag sizes: AesGcm only produces and accepts 128-bit tags (truncated tags weaken
 * authentication). A vector with another tag size is treated as acceptable-by-policy with the
 * decision REJECT: its {@code ct || tag} must fail to decrypt. The current file has none.
 */
class AesGcmWycheproofTest {
  private static final String FILE = "aes_gcm_test.json";

  @Test
  void allVectors() {
    JsonNode root = WycheproofVectors.load(FILE);
    Tally tally = new Tally(FILE, root.get("numberOfTests").asInt(), AcceptableDecisions.none());
    for (JsonNode group : root.get("testGroups")) {
      int tagBits = group.get("tagSize").asInt();
      for (JsonNode t : group.get("tests")) {
        int tcId = t.get("tcId").asInt();
        List<String> flags = WycheproofVectors.flags(t);
        byte[] key = hex(t, "key");
        byte[] iv = hex(t, "iv");
        byte[] aad = hex(t, "aad");
        byte[] msg = hex(t, "msg");
        byte[] ctAndTag = Bytes.concat(hex(t, "ct"), hex(t, "tag"));
        if (tagBits != AesGcm.TAG_BYTES * 8) {
          tally.recordAcceptable(tcId, flags, false, decryptOnly(key, iv, ctAndTag, aad, msg));
          continue;
        }
        String result = t.get("result").asText();
        Outcome dec = decryptOnly(key, iv, ctAndTag, aad, msg);
        byte[] enc = encryptOrNull(key, iv, msg, aad);
        Outcome outcome;
        if (result.equals("valid") || result.equals("acceptable")) {
          outcome = dec.accepted ? Outcome.accepted(dec.correct && Arrays.equals(enc, ctAndTag)) : dec;
        } else if (flags.contains("ZeroLengthIv") && enc != null) {
          outcome = Outcome.acceptedWith(false, "encryption accepted an empty IV");
        } else {
          outcome = dec;
        }
        tally.record(tcId, result, flags, outcome);
      }
    }
    tally.finish();
  }

  private static AesGcm cipher(byte[] key) throws CryptoException {
    return key.length == AesGcm.KEY_BYTES ? AesGcm.of(key) : AesGcmTestAccess.ofAnySize(key);
  }

  private static Outcome decryptOnly(byte[] key, byte[] iv, byte[] ctAndTag, byte[] aad, byte[] expectedMsg) {
    try {
      AesGcm gcm = cipher(key);
      byte[] pt = iv.length == AesGcm.NONCE_BYTES
          ? gcm.decrypt(iv, ctAndTag, aad)
          : AesGcmTestAccess.decryptAnyNonce(gcm, iv, ctAndTag, aad);
      return Outcome.accepted(Arrays.equals(pt, expectedMsg));
    } catch (CryptoException e) {
      return Outcome.rejected(e.reason().name());
    }
  }

  /** {@code ct || tag}, or null if encryption refused the parameters. */
  private static byte[] encryptOrNull(byte[] key, byte[] iv, byte[] msg, byte[] aad) {
    try {
      AesGcm gcm = cipher(key);
      return iv.length == AesGcm.NONCE_BYTES
          ? gcm.encrypt(iv, msg, aad)
          : AesGcmTestAccess.encryptAnyNonce(gcm, iv, msg, aad);
    } catch (CryptoException e) {
      return null;
    }
  }
}
