package org.openshard.seller.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseDecoderTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<SseEvent> all(SseDecoder d, byte[]... pieces) throws SseException {
    List<SseEvent> out = new ArrayList<>();
    for (byte[] p : pieces) {
      out.addAll(d.feed(p));
    }
    return out;
  }

  private static List<String> data(List<SseEvent> events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.data()));
    return out;
  }

  @Test
  void decodesOpenAiStyleStream() throws Exception {
    String body = "data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n";
    SseDecoder d = new SseDecoder();
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}", "[DONE]"), data(d.feed(utf8(body))));
    assertTrue(d.finish());
  }

  @Test
  void everySplitPointGivesTheSameEvents() throws Exception {
    // CRLF, CR and LF line ends, comments, a multi-line event, a named event, ids, a multi-byte
    // character (€, 3 bytes; 😀, 4 bytes) and a BOM at the start.
    String text = "\uFEFF: keep-alive\r\ndata: first €\r\n\r\nevent: note\rdata:second\rdata: 😀 line\r\rid: 7\n"
        + "data: third\n\nretry: 10\nunknown: x\ndata\n\n";
    byte[] body = utf8(text);
    List<SseEvent> expected = all(new SseDecoder(), body);
    assertEquals(List.of("first €", "second\n😀 line", "third", ""), data(expected));
    assertEquals("note", expected.get(1).type());
    assertEquals("message", expected.get(0).type());
    assertEquals("message", expected.get(2).type());
    assertEquals("7", expected.get(2).lastEventId());
    for (int i = 0; i <= body.length; i++) {
      for (int j = i; j <= body.length; j++) {
        SseDecoder d = new SseDecoder();
        List<SseEvent> got =
            all(d, Arrays.copyOfRange(body, 0, i), Arrays.copyOfRange(body, i, j), Arrays.copyOfRange(body, j, body.length));
        assertEquals(expected, got, "split at " + i + "," + j);
        assertTrue(d.finish());
      }
    }
  }

  @Test
  void randomByteByByteAndChunkedFeedsAgree() throws Exception {
    Random r = new Random(42);
    StringBuilder sb = new StringBuilder();
    List<String> want = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String payload = "{\"choices\":[{\"delta\":{\"content\":\"tök" + i + " ✓\"}}]}";
      want.add(payload);
      String eol = new String[] {"\n", "\r\n", "\r"}[r.nextInt(3)];
      sb.append("data: ").append(payload).append(eol).append(eol);
    }
    byte[] body = utf8(sb.toString());
    SseDecoder d = new SseDecoder();
    List<SseEvent> got = new ArrayList<>();
    int off = 0;
    while (off < body.length) {
      int n = Math.min(body.length - off, 1 + r.nextInt(7));
      got.addAll(d.feed(body, off, n));
      off += n;
    }
    assertEquals(want, data(got));
  }

  @Test
  void crAtEndOfPieceThenLfIsOneLineEnd() throws Exception {
    SseDecoder d = new SseDecoder();
    assertEquals(List.of(), d.feed(utf8("data: a\r")));
    // The LF completes the CRLF of the data line; the next CRLF is the blank line.
    assertEquals(List.of(), d.feed(utf8("\n")));
    assertEquals(List.of("a"), data(d.feed(utf8("\r\n"))));
  }

  @Test
  void unfinishedEventAtEndIsDiscardedAndReported() throws Exception {
    SseDecoder d = new SseDecoder();
    assertEquals(List.of(), d.feed(utf8("data: partial\n")));
    assertFalse(d.finish());
    SseDecoder e = new SseDecoder();
    e.feed(utf8("data: x"));
    assertFalse(e.finish());
  }

  @Test
  void invalidUtf8IsRejected() {
    SseDecoder d = new SseDecoder();
    assertThrows(SseException.class, () -> d.feed(new byte[] {'d', 'a', 't', 'a', ':', (byte) 0xC3, '\n'}));
    // Once failed, it stays failed.
    assertThrows(SseException.class, () -> d.feed(utf8("data: ok\n\n")));
    SseDecoder half = new SseDecoder();
    assertThrows(SseException.class, () -> half.feed(new byte[] {(byte) 0xEF, (byte) 0xBB, 'x', '\n'}));
  }

  @Test
  void oversizedLinesAndEventsAreRejected() throws Exception {
    SseDecoder d = new SseDecoder(64);
    byte[] line = utf8("data: " + "x".repeat(100));
    assertThrows(SseException.class, () -> d.feed(line));
    SseDecoder e = new SseDecoder(64);
    e.feed(utf8("data: " + "y".repeat(40) + "\n"));
    assertThrows(SseException.class, () -> e.feed(utf8("data: " + "y".repeat(40) + "\n")));
  }

  @Test
  void dataWithoutSpaceAndColonInValue() throws Exception {
    SseDecoder d = new SseDecoder();
    assertEquals(List.of("a: b", " two spaces"), data(d.feed(utf8("data:a: b\n\ndata:  two spaces\n\n"))));
  }
}
