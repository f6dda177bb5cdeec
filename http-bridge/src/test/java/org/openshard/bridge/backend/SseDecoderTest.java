package org.openshard.bridge.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  private static List<SseEvent> feedInPieces(String stream, int piece) {
    byte[] b = stream.getBytes(StandardCharsets.UTF_8);
    SseDecoder d = new SseDecoder(1 << 20);
    List<SseEvent> out = new ArrayList<>();
    for (int i = 0; i < b.length; i += piece) {
      out.addAll(d.feed(b, i, Math.min(piece, b.length - i)));
    }
    assertFalse(d.hasPartialEvent());
    return out;
  }

  @Test
  void decodesEventsWhateverThePieceSize() {
    String stream =
        "\uFEFF: comment\r\ndata: {\"a\":1}\r\n\r\nevent: error\ndata: line1\ndata:line2\n\nid: 7\nretry: 10\ndata: é€😀\r\r"
            + "data: [DONE]\n\n";
    for (int piece : new int[] {1, 2, 3, 5, 7, 64, 4096}) {
      List<SseEvent> ev = feedInPieces(stream, piece);
      assertEquals(4, ev.size(), "piece " + piece);
      assertEquals("{\"a\":1}", ev.get(0).data());
      assertEquals("message", ev.get(0).type());
      assertEquals("error", ev.get(1).type());
      assertEquals("line1\nline2", ev.get(1).data());
      assertEquals("é€😀", ev.get(2).data());
      assertEquals("message", ev.get(2).type());
      assertEquals("[DONE]", ev.get(3).data());
    }
  }

  @Test
  void eventsWithoutDataAreNotDispatched() {
    assertEquals(0, feedInPieces("event: ping\n\n: keepalive\n\n", 3).size());
  }

  @Test
  void partialEventIsReported() {
    SseDecoder d = new SseDecoder(1024);
    assertEquals(0, d.feed("data: {\"cut\":".getBytes(StandardCharsets.UTF_8)).size());
    assertTrue(d.hasPartialEvent());
  }

  @Test
  void oversizedEventsAndBadUtf8AreErrors() {
    SseDecoder small = new SseDecoder(16);
    assertThrows(SseFormatException.class, () -> small.feed("data: 0123456789abcdefghij\n\n".getBytes(StandardCharsets.UTF_8)));
    SseDecoder d = new SseDecoder(1024);
    assertThrows(SseFormatException.class, () -> d.feed(new byte[] {'d', 'a', 't', 'a', ':', ' ', (byte) 0xC3, 0x28, '\n'}));
  }
}
