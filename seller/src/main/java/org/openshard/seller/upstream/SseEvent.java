package org.openshard.seller.upstream;

import java.util.Objects;

/**
 * One dispatched server-sent event: its type ({@code "message"} unless an {@code event:} field
 * said otherwise), its data (the {@code data:} lines joined by LF) and the last event id.
 */
public record SseEvent(String type, String data, String lastEventId) {
  public static final String DEFAULT_TYPE = "message";

  public SseEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(lastEventId, "lastEventId");
  }

  @Override
  public String toString() {
    // Data may be model output: never printed.
    return "SseEvent(type=" + type + ", " + data.length() + " chars)";
  }
}
