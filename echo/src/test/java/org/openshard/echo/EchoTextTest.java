package org.openshard.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoTextTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void piecesConcatenateToTheExactText() {
    for (String s : List.of("hello world", "  leading and trailing  ", "one", "", "a\n b\t\tc ", "   ")) {
      assertEquals(s, String.join("", EchoText.pieces(s)), "pieces of '" + s + "'");
    }
    assertEquals(List.of("hello", " world", " again"), EchoText.pieces("hello world again"));
    assertEquals(List.of(" x", " y  "), EchoText.pieces(" x y  "));
  }

  @Test
  void tokensAreWhitespaceSeparatedWords() {
    assertEquals(0, EchoText.countTokens(""));
    assertEquals(0, EchoText.countTokens("   \n"));
    assertEquals(3, EchoText.countTokens(" a  bb\tccc "));
  }

  @Test
  void answerIsTheLastUserMessageText() throws Exception {
    var msgs =
        json.readTree(
            "[{\"role\":\"system\",\"content\":\"be nice\"},{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"part one\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"two\"}]}]");
    assertEquals("part one\ntwo", EchoText.lastUserText(msgs));
    // be nice (2) + first (1) + ok (1) + part one two (3)
    assertEquals(7, EchoText.promptTokens(msgs));
    assertEquals("", EchoText.lastUserText(json.readTree("[{\"role\":\"system\",\"content\":\"x\"}]")));
  }
}
