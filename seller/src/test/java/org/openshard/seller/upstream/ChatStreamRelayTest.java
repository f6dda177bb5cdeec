package org.openshard.seller.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openshard.proto.v1.ErrorCode;
import org.openshard.seller.pipeline.StageException;

class ChatStreamRelayTest {
  private static SseEvent ev(String data) {
    return new SseEvent("message", data, "");
  }

  @Test
  void relaysUnchangedWhenTheApplicationWantsUsage() throws Exception {
    ChatStreamRelay r = new ChatStreamRelay(true);
    String c = "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}";
    assertEquals(c, r.onEvent(ev(c)));
    String u = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":9}}}";
    assertEquals(u, r.onEvent(ev(u)));
    assertNull(r.onEvent(ev("[DONE]")));
    assertTrue(r.done());
    assertEquals(3, r.usage().getPromptTokens());
    assertEquals(3, r.usage().getCachedPromptTokens(), "cached is capped at prompt");
  }

  @Test
  void hidesTheUsageTheSellerAskedFor() throws Exception {
    ChatStreamRelay r = new ChatStreamRelay(false);
    assertEquals("{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}]}",
        r.onEvent(ev("{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"stop\"}],\"usage\":null}")));
    assertTrue(r.finishSeen());
    assertNull(r.onEvent(ev("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}")));
    assertEquals(1, r.relayedChunks());
    assertEquals(1, r.usage().getCompletionTokens());
    assertFalse(r.done());
  }

  @Test
  void errorsNeverCarryTheUpstreamMessage() {
    ChatStreamRelay r = new ChatStreamRelay(false);
    StageException e = assertThrows(StageException.class,
        () -> r.onEvent(ev("{\"error\":{\"message\":\"echo: my secret prompt\",\"type\":\"server_error\",\"code\":\"x y\"}}")));
    assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
    assertEquals("the upstream reported an error in its stream: server_error", e.getMessage());
    assertThrows(StageException.class, () -> new ChatStreamRelay(false).onEvent(ev("nope")));
    assertThrows(StageException.class, () -> new ChatStreamRelay(false).onEvent(ev("[1]")));
    assertThrows(StageException.class, () -> new ChatStreamRelay(false).onEvent(new SseEvent("error", "{}", "")));
  }
}
