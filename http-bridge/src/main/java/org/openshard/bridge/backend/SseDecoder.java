package org.openshard.bridge.backend;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict, incremental decoder of {@code text/event-stream} bodies (the WHATWG HTML "event stream
 * interpretation"): bytes arrive in arbitrary pieces; lines end with CRLF, LF or CR (a CRLF split
 * across pieces is one terminator); a leading BOM is dropped; {@code :} lines are comments; {@code
 * data} values are joined with LF; {@code event} sets the type; a blank line dispatches an event if
 * it has data. Strict: each line must be valid UTF-8, and a line or event larger than the limit is
 * an error ({@link SseFormatException}), never silently truncated. Not thread-safe.
 */
public final class SseDecoder {
  private final int maxEventBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private boolean hasData;
  private boolean lastWasCr;
  private boolean first = true;
  private int eventBytes;

  public SseDecoder(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
  }

  /** Feeds the next piece of the body; returns the events it completed, in order. */
  public List<SseEvent> feed(byte[] bytes, int off, int len) {
    List<SseEvent> out = new ArrayList<>();
    for (int i = off; i < off + len; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false;
          continue; // second half of CRLF
        }
        endLine(out);
      } else if (b == '\r') {
        lastWasCr = true;
        endLine(out);
      } else {
        lastWasCr = false;
        line.write(b);
        if (line.size() + eventBytes > maxEventBytes) {
          throw new SseFormatException("event larger than " + maxEventBytes + " bytes");
        }
      }
    }
    return out;
  }

  public List<SseEvent> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /** True if bytes of an unfinished line or event are pending (the stream was cut mid-event). */
  public boolean hasPartialEvent() {
    return line.size() > 0 || hasData;
  }

  private void endLine(List<SseEvent> out) {
    String text = decode(line.toByteArray());
    line.reset();
    if (first) {
      first = false;
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
    }
    if (text.isEmpty()) {
      if (hasData) {
        String d = data.toString();
        out.add(new SseEvent(eventType.isEmpty() ? "message" : eventType, d));
      }
      data.setLength(0);
      hasData = false;
      eventType = "";
      eventBytes = 0;
      return;
    }
    eventBytes += text.length();
    if (text.charAt(0) == ':') {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data":
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
        break;
      case "event":
        eventType = value;
        break;
      default:
        // id, retry and unknown fields carry nothing the bridge uses
        break;
    }
  }

  private static String decode(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new SseFormatException("event stream line is not UTF-8");
    }
  }
}
