package org.openshard.bridge.jcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openshard.bridge.e2ee.aci.AciAad;
import org.openshard.bridge.e2ee.aci.AciSuite;

class JcsTest {
  private final ObjectMapper json = new ObjectMapper();

  /** shared/reference/test-vectors.md, "ACI E2EE v2 associated data (JCS)": exact bytes. */
  @Test
  void aciRequestAadVector() {
    String expected =
        "{\"algo\":\"x25519-aes-256-gcm-hkdf-sha256\",\"field\":\"messages.0.content\",\"model\":\"demo-model\","
            + "\"nonce\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
            + "\"purpose\":\"aci.e2ee.request.v2\",\"ts\":1750000000}";
    byte[] aad =
        AciAad.request(
            AciSuite.X25519, "messages.0.content", "demo-model",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1750000000L);
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), aad);
  }

  /** shared/reference/test-vectors.md, second AAD vector (response). */
  @Test
  void aciResponseAadVector() {
    String expected =
        "{\"algo\":\"x25519-aes-256-gcm-hkdf-sha256\",\"field\":\"choices.0.message.content\",\"id\":\"chatcmpl-123\","
            + "\"model\":\"demo-model\",\"nonce\":\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\","
            + "\"purpose\":\"aci.e2ee.response.v2\",\"ts\":1750000000}";
    byte[] aad =
        AciAad.response(
            AciSuite.X25519, "choices.0.message.content", "chatcmpl-123", "demo-model",
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1750000000L);
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), aad);
  }

  @Test
  void keysSortByUtf16CodeUnitsRecursively() throws Exception {
    // RFC 8785 section 3.2.3's sorting example: U+20AC, CR, "1", U+1F600 (surrogate pair), U+0080, U+00F6, "b".
    String in =
        "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
            + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
            + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\",\"b\":{\"z\":1,\"a\":[3,{\"y\":null,\"x\":true}]}}";
    String expected =
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"b\":{\"a\":[3,{\"x\":true,\"y\":null}],\"z\":1},"
            + "\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
    assertEquals(expected, Jcs.canonicalString(json.readTree(in)));
  }

  @Test
  void stringsEscapeLikeEcmascript() throws Exception {
    String in = "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \\u007f / \\u2028 é\"}";
    assertEquals(
        "{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \u007f / \u2028 é\"}", Jcs.canonicalString(json.readTree(in)));
  }

  @Test
  void integersArePlainDecimalAndOthersAreRejected() throws Exception {
    assertEquals("[0,-1,9007199254740992,1750000000]", Jcs.canonicalString(json.readTree("[0,-1,9007199254740992,1.75e9]")));
    assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(json.readTree("[1.5]")));
    assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(json.readTree("[9007199254740993]")));
  }

  @Test
  void loneSurrogatesAreRejected() {
    var node = json.createObjectNode().put("x", "a\ud800b");
    assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(node));
  }
}
