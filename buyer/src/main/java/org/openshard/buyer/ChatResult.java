package org.openshard.buyer;

import java.util.List;
import org.openshard.proto.v1.ChatChunk;
import org.openshard.proto.v1.ChatCompletion;
import org.openshard.proto.v1.RequestSummary;

/** A finished private chat completion: what came back (decrypted) and the summary. */
public final class ChatResult {
  private final ChatCompletion completion;
  private final List<ChatChunk> chunks;
  private final RequestSummary summary;

  ChatResult(ChatCompletion completion, List<ChatChunk> chunks, RequestSummary summary) {
    this.completion = completion;
    this.chunks = List.copyOf(chunks);
    this.summary = summary;
  }

  /** The OpenAI chat.completion JSON (non-streaming requests), or null. */
  public String openaiJson() {
    return completion == null ? null : completion.getOpenaiResponseJson();
  }

  /** The assistant's text: the completion's message content, or the concatenated chunk deltas. */
  public String content() {
    if (completion != null) {
      return completion.getContent();
    }
    StringBuilder b = new StringBuilder();
    for (ChatChunk c : chunks) {
      b.append(c.getContentDelta());
    }
    return b.toString();
  }

  /** The chat.completion.chunk objects, in order (streaming requests). */
  public List<ChatChunk> chunks() {
    return chunks;
  }

  /** Seller, offering, usage, amount charged, receipt id, nullifier hash, attempts, pricing. */
  public RequestSummary summary() {
    return summary;
  }
}
