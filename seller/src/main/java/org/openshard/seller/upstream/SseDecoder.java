package org.openshard.seller.upstream;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict incremental decoder of {@code text/event-stream} (the WHATWG HTML "server-sent events"
 * parsing rules) over a body that arrives in arbitrary pieces.
 *
 * <ul>
 *   <li>Lines end with CRLF, LF or CR; a CR at the end of one piece followed by LF at the start of
 *       the next is one line ending. Multi-byte UTF-8 characters may be split across pieces.
 *   <li>A leading byte-order mark is skipped; {@code :comment} lines are ignored; {@code data},
 *       {@code event}, {@code id} and {@code retry} fields are understood, others ignored; one
 *       space after the colon is removed; a blank line dispatches the event (if it has data).
 *   <li>An event left unfinished at end of stream is discarded ({@link #finish()} reports it).
 *   <li>Strict: invalid UTF-8, a line longer than the limit or an event larger than the limit is an
 *       error rather than being repaired.
 * </ul>
 *
 * Not thread-safe: feed it from one thread (or under the caller's lock).
 */
public final class SseDecoder {
  /** Default limit for one event's data (and one line): 4 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 4 * 1024 * 1024;

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int maxEventBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  /** The current line's bytes so far (lineLen of them). */
  private byte[] line = new byte[256];
  private int lineLen;
  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String lastEventId = "";
  private boolean dataSeen;
  private boolean afterCr;
  private int bomBytesChecked;
  private boolean failed;

  public SseDecoder() {
    this(DEFAULT_MAX_EVENT_BYTES);
  }

  public SseDecoder(int maxEventBytes) {
    if (maxEventBytes < 16) {
      throw new IllegalArgumentException("maxEventBytes must be ≥ 16");
    }
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds the next piece of the body; returns the events it completed, in order. */
  public List<SseEvent> feed(byte[] bytes) throws SseException {
    return feed(bytes, 0, bytes.length);
  }

  /** Feeds {@code len} bytes from {@code off}. */
  public List<SseEvent> feed(byte[] bytes, int off, int len) throws SseException {
    if (failed) {
      throw new SseException("event stream decoder already failed");
    }
    List<SseEvent> out = new ArrayList<>(2);
    int end = off + len;
    int i = off;
    try {
      while (i < end && bomBytesChecked < 3) {
        // Skip a UTF-8 BOM (EF BB BF) at the very start of the stream only.
        byte b = bytes[i];
        byte expected = BOM[bomBytesChecked];
        if (b == expected && lineLen == bomBytesChecked) {
          append(bytes, i, 1);
          bomBytesChecked++;
          i++;
          if (bomBytesChecked == 3) {
            lineLen = 0;
          }
          continue;
        }
        // Not a BOM: whatever was buffered is ordinary line content.
        bomBytesChecked = 3;
      }
      while (i < end) {
        if (afterCr) {
          afterCr = false;
          if (bytes[i] == LF) {
            i++;
            continue;
          }
        }
        // Copy the run up to the next line ending in one go.
        int j = i;
        while (j < end && bytes[j] != CR && bytes[j] != LF) {
          j++;
        }
        if (j > i) {
          if ((long) lineLen + (j - i) > maxEventBytes) {
            throw new SseException("event stream line exceeds " + maxEventBytes + " bytes");
          }
          append(bytes, i, j - i);
        }
        if (j == end) {
          break;
        }
        afterCr = bytes[j] == CR;
        endLine(out);
        i = j + 1;
      }
    } catch (SseException e) {
      failed = true;
      throw e;
    }
    return out;
  }

  /**
   * Ends the stream. Returns true if the stream ended cleanly (no unfinished line or event was
   * pending); the pending data, if any, is discarded as the standard requires.
   */
  public boolean finish() {
    boolean clean = lineLen == 0 && !dataSeen && eventType.isEmpty();
    lineLen = 0;
    data.setLength(0);
    dataSeen = false;
    eventType = "";
    return clean && !failed;
  }

  private void append(byte[] bytes, int off, int len) {
    if (lineLen + len > line.length) {
      line = java.util.Arrays.copyOf(line, Math.max(lineLen + len, 2 * line.length));
    }
    System.arraycopy(bytes, off, line, lineLen, len);
    lineLen += len;
  }

  private void endLine(List<SseEvent> out) throws SseException {
    int len = lineLen;
    lineLen = 0;
    if (len == 0) {
      dispatch(out);
      return;
    }
    String text = decode(line, len);
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = text;
      value = "";
    } else {
      field = text.substring(0, colon);
      int start = colon + 1;
      if (start < text.length() && text.charAt(start) == ' ') {
        start++;
      }
      value = text.substring(start);
    }
    switch (field) {
      case "data":
        if (data.length() + value.length() + 1 > maxEventBytes) {
          throw new SseException("event stream event exceeds " + maxEventBytes + " bytes");
        }
        data.append(value).append('\n');
        dataSeen = true;
        break;
      case "event":
        eventType = value;
        break;
      case "id":
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
        break;
      default:
        // "retry" only matters to reconnecting clients; unknown fields are ignored by the standard.
        break;
    }
  }

  private void dispatch(List<SseEvent> out) {
    if (!dataSeen) {
      eventType = "";
      return;
    }
    String d = data.substring(0, data.length() - 1);
    out.add(new SseEvent(eventType.isEmpty() ? SseEvent.DEFAULT_TYPE : eventType, d, lastEventId));
    data.setLength(0);
    dataSeen = false;
    eventType = "";
  }

  private String decode(byte[] raw, int len) throws SseException {
    boolean ascii = true;
    for (int k = 0; k < len; k++) {
      if (raw[k] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // ASCII is valid UTF-8 and decodes byte for byte (the usual case for JSON chunks).
      return new String(raw, 0, len, StandardCharsets.ISO_8859_1);
    }
    try {
      return utf8.reset().decode(ByteBuffer.wrap(raw, 0, len)).toString();
    } catch (CharacterCodingException e) {
      throw new SseException("event stream is not valid UTF-8");
    }
  }
}
