package org.openshard.seller.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.proto.v1.Usage;
import org.openshard.seller.pipeline.StageException;

/**
 * Interprets the upstream's chat-completion event stream: captures usage, ends at {@code [DONE]},
 * turns in-stream errors into UPSTREAM_ERROR, and decides what reaches the application. Chunks are
 * relayed unchanged, except when the application did not ask for usage (the seller turned
 * {@code include_usage} on): then the usage-only chunk is dropped and the {@code "usage": null}
 * member the upstream adds to every other chunk is removed (by cutting exactly that member out of
 * the text). Ordinary token chunks are read with a streaming parser ({@link ChunkScan}); only the
 * usage chunk and errors build a tree. Not thread-safe.
 */
final class ChatStreamRelay {
  private final boolean applicationWantsUsage;
  private Usage usage;
  private boolean done;
  private boolean finishSeen;
  private int chunks;

  ChatStreamRelay(boolean applicationWantsUsage) {
    this.applicationWantsUsage = applicationWantsUsage;
  }

  /**
   * Handles one event.
   *
   * @return the chunk JSON to relay to the application, or null if nothing is to be relayed
   * @throws StageException UPSTREAM_ERROR if the upstream reported an error or sent a malformed
   *     chunk
   */
  String onEvent(SseEvent event) throws StageException {
    if (done) {
      return null;
    }
    String data = event.data();
    if ("[DONE]".equals(data.strip())) {
      done = true;
      return null;
    }
    if ("error".equals(event.type())) {
      throw StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream reported an error in its stream" + errorKind(data));
    }
    ChunkScan scan;
    try {
      scan = ChunkScan.of(data);
    } catch (java.io.IOException | RuntimeException e) {
      throw StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream sent a chunk that is not a valid JSON object");
    }
    if (!scan.needsTree()) {
      // An ordinary token chunk (no error, no usage object): relayed byte for byte, less the
      // "usage": null member the seller caused, if the application did not ask for usage.
      if (scan.finishSeen()) {
        finishSeen = true;
      }
      chunks++;
      return applicationWantsUsage ? data : scan.withoutNullUsage(data);
    }
    return onTreeEvent(data);
  }

  /** The rare chunks: the usage chunk and in-stream errors. */
  private String onTreeEvent(String data) throws StageException {
    JsonNode node;
    try {
      node = OpenAiRequest.JSON.readTree(data);
    } catch (JsonProcessingException e) {
      throw StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream sent a chunk that is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream sent a chunk that is not a JSON object");
    }
    JsonNode err = node.get("error");
    if (err != null && !err.isNull()) {
      throw StageException.of(ErrorCode.UPSTREAM_ERROR, "the upstream reported an error in its stream" + errorKind(node));
    }
    JsonNode u = node.get("usage");
    Usage parsed = UsageJson.read(u);
    if (parsed != null) {
      usage = parsed;
    }
    JsonNode choices = node.get("choices");
    boolean noChoices = choices == null || (choices.isArray() && choices.size() == 0);
    if (choices != null && choices.isArray()) {
      for (JsonNode c : choices) {
        JsonNode fr = c.get("finish_reason");
        if (fr != null && !fr.isNull()) {
          finishSeen = true;
        }
      }
    }
    if (applicationWantsUsage) {
      chunks++;
      return data;
    }
    if (parsed != null && noChoices) {
      return null;
    }
    chunks++;
    if (u != null && u.isNull()) {
      ((ObjectNode) node).remove("usage");
      try {
        return OpenAiRequest.JSON.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return data;
  }

  /** True once {@code [DONE]} arrived. */
  boolean done() {
    return done;
  }

  /** True if a choice finished (a stream that ends after that without [DONE] is accepted). */
  boolean finishSeen() {
    return finishSeen;
  }

  /** Chunks relayed so far. */
  int relayedChunks() {
    return chunks;
  }

  /** The usage reported, or zeros. */
  Usage usage() {
    return usage == null ? Usage.getDefaultInstance() : usage;
  }

  /** ": type/code" of an OpenAI error object if they look like identifiers (never its message). */
  static String errorKind(String json) {
    try {
      return errorKind(OpenAiRequest.JSON.readTree(json));
    } catch (JsonProcessingException | RuntimeException e) {
      return "";
    }
  }

  static String errorKind(JsonNode root) {
    if (root == null) {
      return "";
    }
    JsonNode err = root.has("error") ? root.get("error") : root;
    if (err == null || !err.isObject()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {"type", "code"}) {
      JsonNode v = err.get(f);
      if (v != null && (v.isTextual() || v.isIntegralNumber())) {
        String t = v.asText();
        if (t.matches("[A-Za-z0-9_.-]{1,64}")) {
          sb.append(sb.length() == 0 ? ": " : "/").append(t);
        }
      }
    }
    return sb.toString();
  }
}
