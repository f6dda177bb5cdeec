package org.openshard.bridge.backend;

/** One server-sent event: its type ({@code message} unless an {@code event:} field set one) and data. */
public final class SseEvent {
  private final String type;
  private final String data;

  public SseEvent(String type, String data) {
    this.type = type;
    this.data = data;
  }

  public String type() {
    return type;
  }

  public String data() {
    return data;
  }

  @Override
  public String toString() {
    return "SseEvent(" + type + ", " + data.length() + " chars)";
  }
}
