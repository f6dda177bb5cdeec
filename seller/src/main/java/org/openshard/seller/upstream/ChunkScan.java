package org.openshard.seller.upstream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One pass of a streaming parser over a {@code chat.completion.chunk}: what {@link ChatStreamRelay}
 * needs from an ordinary token chunk, without building a tree (this runs once per streamed token).
 * The whole text is tokenized, so malformed JSON is still rejected. Chunks that carry an {@code
 * error} or a {@code usage} object are left to the tree path ({@link #needsTree()}).
 */
final class ChunkScan {
  private static final JsonFactory JSON = new JsonFactory();

  private boolean needsTree;
  private boolean finishSeen;
  private int usageNullFrom = -1;
  private int usageNullTo = -1;

  private ChunkScan() {}

  /**
   * Scans {@code json}.
   *
   * @throws IOException if it is not valid JSON or not a single object
   */
  static ChunkScan of(String json) throws IOException {
    ChunkScan s = new ChunkScan();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int nameStart = (int) p.currentTokenLocation().getCharOffset();
        JsonToken v = p.nextToken();
        switch (name) {
          case "error":
            if (v != JsonToken.VALUE_NULL) {
              s.needsTree = true;
            }
            p.skipChildren();
            break;
          case "usage":
            if (v == JsonToken.VALUE_NULL) {
              if (s.usageNullFrom >= 0) {
                s.needsTree = true; // a repeated member: let the tree decide
              }
              s.usageNullFrom = nameStart;
              s.usageNullTo = (int) p.currentLocation().getCharOffset();
            } else {
              s.needsTree = true;
              p.skipChildren();
            }
            break;
          case "choices":
            if (v == JsonToken.START_ARRAY) {
              s.scanChoices(p);
            } else {
              p.skipChildren();
            }
            break;
          default:
            p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IOException("not a single object");
      }
    }
    return s;
  }

  /** Inside the choices array: notes whether any choice finished. */
  private void scanChoices(JsonParser p) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if ("finish_reason".equals(name) && v != JsonToken.VALUE_NULL) {
          finishSeen = true;
        }
        p.skipChildren();
      }
    }
  }

  /** True if the chunk carries an error or a usage object (or a repeated usage member). */
  boolean needsTree() {
    return needsTree;
  }

  /** True if some choice has a non-null finish_reason. */
  boolean finishSeen() {
    return finishSeen;
  }

  /** True if the object has a top-level {@code "usage": null} member. */
  boolean hasNullUsage() {
    return usageNullFrom >= 0;
  }

  /**
   * {@code json} (the scanned text) without its top-level {@code "usage": null} member and one
   * separating comma; every other byte is kept as the upstream sent it.
   */
  String withoutNullUsage(String json) {
    if (usageNullFrom < 0) {
      return json;
    }
    int before = usageNullFrom - 1;
    while (before >= 0 && isJsonSpace(json.charAt(before))) {
      before--;
    }
    if (json.charAt(before) == ',') {
      // Not the first member: drop the comma before it.
      return json.substring(0, before) + json.substring(usageNullTo);
    }
    // The first member ('{' before it): drop the comma after it, if another member follows.
    int after = usageNullTo;
    while (after < json.length() && isJsonSpace(json.charAt(after))) {
      after++;
    }
    int end = after < json.length() && json.charAt(after) == ',' ? after + 1 : usageNullTo;
    return json.substring(0, usageNullFrom) + json.substring(end);
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
