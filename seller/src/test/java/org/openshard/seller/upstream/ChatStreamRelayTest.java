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

  @Test
  void cutsExactlyTheNullUsageMemberWhereverItIsAndKeepsEveryOtherByte() throws Exception {
    String[][] cases = {
      {"{\"id\":\"c1\",\"usage\":null,\"choices\":[]}", "{\"id\":\"c1\",\"choices\":[]}"},
      {"{\"usage\":null,\"id\":\"c1\"}", "{\"id\":\"c1\"}"},
      {"{ \"usage\" : null , \"id\": 1.50 }", "{  \"id\": 1.50 }"},
      {"{\"id\":\"a,b\" ,\n \"usage\":\tnull}", "{\"id\":\"a,b\" }"},
      {"{\"usage\":null}", "{}"},
      {"{\"x\":{\"usage\":null},\"usage\":null}", "{\"x\":{\"usage\":null}}"},
      {"{\"id\":\"\\\"usage\\\":null\",\"usage\":null}", "{\"id\":\"\\\"usage\\\":null\"}"},
      {"{\"choices\":[{\"delta\":{\"content\":\"ü 😀\"}}],\"usage\":null}", "{\"choices\":[{\"delta\":{\"content\":\"ü 😀\"}}]}"},
      {"{\"id\":\"c1\"}", "{\"id\":\"c1\"}"},
      // Numbers keep the upstream's spelling (a Jackson tree round trip prints -1.234E-4).
      {"{\"choices\":[{\"logprobs\":{\"content\":[{\"logprob\":-0.0001234,\"n\":1000000000000000000000}]}}],\"usage\":null}",
          "{\"choices\":[{\"logprobs\":{\"content\":[{\"logprob\":-0.0001234,\"n\":1000000000000000000000}]}}]}"},
    };
    for (String[] c : cases) {
      ChatStreamRelay r = new ChatStreamRelay(false);
      String out = r.onEvent(ev(c[0]));
      assertEquals(c[1], out, c[0]);
      // Still a JSON object, equal to the upstream's with the top-level member removed.
      var expected = (com.fasterxml.jackson.databind.node.ObjectNode) OpenAiRequest.JSON.readTree(c[0]);
      expected.remove("usage");
      assertEquals(expected, OpenAiRequest.JSON.readTree(out), c[0]);
      assertEquals(c[0], new ChatStreamRelay(true).onEvent(ev(c[0])), "relayed unchanged when usage is wanted");
    }
  }

  @Test
  void offsetsHoldInChunksLongerThanTheParsersBuffer() throws Exception {
    String big = "ä".repeat(70_000) + "x".repeat(70_000); // well past Jackson's 8 K / 32 K char buffers
    String before = "{\"choices\":[{\"delta\":{\"content\":\"" + big + "\"}}],\"usage\":null,\"id\":\"c9\"}";
    String after = "{\"choices\":[{\"delta\":{\"content\":\"" + big + "\"}}],\"id\":\"c9\"}";
    assertEquals(after, new ChatStreamRelay(false).onEvent(ev(before)));
    String first = "{\"usage\":null,\"pad\":\"" + big + "\"}";
    assertEquals("{\"pad\":\"" + big + "\"}", new ChatStreamRelay(false).onEvent(ev(first)));
  }

  @Test
  void finishReasonIsSeenInAnyChoiceAndNullDoesNotCount() throws Exception {
    ChatStreamRelay r = new ChatStreamRelay(false);
    r.onEvent(ev("{\"choices\":[{\"delta\":{\"finish_reason\":\"x\"},\"finish_reason\":null}],\"usage\":null}"));
    assertFalse(r.finishSeen(), "a finish_reason inside delta or null is not a finish");
    r.onEvent(ev("{\"choices\":[{\"index\":0},{\"index\":1,\"finish_reason\":\"length\"}]}"));
    assertTrue(r.finishSeen());
    assertEquals(2, r.relayedChunks());
  }

  @Test
  void malformedChunksAreRejectedEvenWhenOnlyTheTailIsBroken() {
    for (String bad : new String[] {
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null",
        "{\"choices\":[{\"delta\":{\"content\":\"a\"}]}",
        "{\"id\":1}{\"id\":2}",
        "{\"id\":1} x",
        "{\"usage\":nul}",
        "\"text\"",
        ""}) {
      StageException e = assertThrows(StageException.class, () -> new ChatStreamRelay(false).onEvent(ev(bad)), bad);
      assertEquals(ErrorCode.UPSTREAM_ERROR, e.code());
    }
  }

  @Test
  void usageAndErrorsInsideAnOtherwiseOrdinaryChunkStillTakeTheCarefulPath() throws Exception {
    ChatStreamRelay r = new ChatStreamRelay(false);
    // A content chunk that also carries usage (some servers put it on the last content chunk).
    String both = "{\"choices\":[{\"delta\":{\"content\":\"z\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}";
    assertEquals(both, r.onEvent(ev(both)));
    assertEquals(4, r.usage().getPromptTokens());
    assertTrue(r.finishSeen());
    StageException e = assertThrows(StageException.class,
        () -> new ChatStreamRelay(false).onEvent(ev("{\"usage\":null,\"error\":{\"type\":\"overloaded\"}}")));
    assertEquals("the upstream reported an error in its stream: overloaded", e.getMessage());
  }
}
