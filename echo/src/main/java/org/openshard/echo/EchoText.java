package org.openshard.echo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The echo's text rules, deterministic so tests can predict every byte.
 *
 * <ul>
 *   <li>The answer to a chat request is the text of the LAST message whose role is {@code user}: its
 *       string content, or the {@code text} of its {@code type: "text"} parts joined with {@code
 *       "\n"}. No user message: the empty string.
 *   <li>A token is a maximal run of non-whitespace characters ({@code \S+}); token counts are the
 *       number of such runs. Prompt tokens count every message's text (string content and text parts).
 *   <li>Streaming splits the answer into pieces {@code \s*\S+} (leading whitespace travels with the
 *       following word); trailing whitespace is appended to the last piece, so the pieces concatenate
 *       to the exact answer.
 * </ul>
 */
public final class EchoText {
  private static final Pattern WORD = Pattern.compile("\\S+");
  private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

  private EchoText() {}

  /** Number of whitespace-separated words. */
  public static int countTokens(String s) {
    if (s == null || s.isEmpty()) {
      return 0;
    }
    Matcher m = WORD.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The streaming pieces of {@code s}; their concatenation is {@code s}. */
  public static List<String> pieces(String s) {
    List<String> out = new ArrayList<>();
    if (s == null || s.isEmpty()) {
      return out;
    }
    Matcher m = PIECE.matcher(s);
    int end = 0;
    while (m.find()) {
      out.add(m.group());
      end = m.end();
    }
    if (end < s.length()) {
      String tail = s.substring(end);
      if (out.isEmpty()) {
        out.add(tail);
      } else {
        out.set(out.size() - 1, out.get(out.size() - 1) + tail);
      }
    }
    return out;
  }

  /** The text content of one message (string content, or its text parts joined by newlines). */
  public static String messageText(JsonNode message) {
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      for (JsonNode part : content) {
        if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
          if (!first) {
            sb.append('\n');
          }
          sb.append(part.path("text").asText());
          first = false;
        }
      }
      return sb.toString();
    }
    return "";
  }

  /** The answer: the last user message's text, or "" if there is none. */
  public static String lastUserText(JsonNode messages) {
    String last = "";
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        if ("user".equals(m.path("role").asText())) {
          last = messageText(m);
        }
      }
    }
    return last;
  }

  /** Prompt tokens of a chat request: the words of every message's text. */
  public static int promptTokens(JsonNode messages) {
    int n = 0;
    if (messages != null && messages.isArray()) {
      for (JsonNode m : messages) {
        n += countTokens(messageText(m));
      }
    }
    return n;
  }
}
