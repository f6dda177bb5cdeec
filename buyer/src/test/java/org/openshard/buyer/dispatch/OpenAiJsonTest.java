package org.openshard.buyer.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpenAiJsonTest {
  @Test
  void readsTheFirstChoicesContent() {
    assertEquals(
        "Hé \"x\"",
        OpenAiJson.contentDelta(
            "{\"id\":\"c\",\"usage\":null,\"choices\":[{\"index\":0,\"logprobs\":{\"a\":[1]},\"delta\":{\"role\":\"assistant\",\"tool_calls\":[],\"content\":\"H\\u00e9 \\\"x\\\"\"}},"
                + "{\"index\":1,\"delta\":{\"content\":\"other\"}}]}"));
    assertEquals("full", OpenAiJson.messageContent("{\"choices\":[{\"message\":{\"content\":\"full\",\"role\":\"assistant\"}}]}"));
  }

  @Test
  void anythingElseIsEmpty() {
    for (String s :
        new String[] {
          "", "[]", "{}", "{\"choices\":[]}", "{\"choices\":[{\"delta\":{}}]}", "{\"choices\":[{\"delta\":{\"content\":null}}]}",
          "{\"choices\":[{\"delta\":{\"content\":3}}]}", "{\"choices\":{\"delta\":{\"content\":\"x\"}}}",
          "{\"choices\":[{\"message\":{\"content\":\"x\"}}]}"
        }) {
      assertEquals("", OpenAiJson.contentDelta(s), s);
    }
  }
}
