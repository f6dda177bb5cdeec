package org.openshard.bridge.e2ee.aci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openshard.bridge.e2ee.E2eeException;
import org.openshard.bridge.e2ee.Endpoint;

/**
 * Where ACI E2EE v2 puts ciphertext, as dot-joined field paths.
 *
 * <p>Requests: {@code messages.{m}.content} (a string; a structured content array travels as its
 * compact JSON and is restored when the plaintext parses as a JSON array), {@code
 * messages.{m}.content.{c}.text}, {@code .image_url.url}, {@code .input_audio.data}, {@code
 * prompt}, {@code prompt.{i}}. Every string at one of these paths is opened.
 *
 * <p>Responses: {@code choices.{i}.message.content|reasoning|reasoning_content}, {@code
 * choices.{i}.message.audio.data}; chunks {@code choices.{i}.delta.content|reasoning|reasoning_content}
 * (an empty delta content is omitted); completions {@code choices.{i}.text}. {@code {i}} is the
 * choice's {@code index} member when present, else its array position.
 */
final class AciFields {
  private AciFields() {}

  /** Opens one field: returns the plaintext for the value at {@code path}. */
  interface Opener {
    String open(String path, String ciphertext) throws E2eeException;
  }

  /** Seals one field: returns the ciphertext of {@code plaintext} at {@code path}. */
  interface Sealer {
    String seal(String path, String plaintext);
  }

  /** Opens every request field in place; returns how many were opened. */
  static int openRequest(ObjectNode req, Endpoint endpoint, Opener opener, JsonParserFn parser) throws E2eeException {
    int n = 0;
    if (endpoint == Endpoint.CHAT_COMPLETIONS) {
      JsonNode messages = req.get("messages");
      if (messages != null && messages.isArray()) {
        for (int m = 0; m < messages.size(); m++) {
          JsonNode msg = messages.get(m);
          if (!msg.isObject()) {
            continue;
          }
          ObjectNode mo = (ObjectNode) msg;
          JsonNode content = mo.get("content");
          String base = "messages." + m + ".content";
          if (content != null && content.isTextual()) {
            String pt = opener.open(base, content.textValue());
            JsonNode restored = parser.parseArrayOrNull(pt);
            if (restored != null) {
              mo.set("content", restored);
            } else {
              mo.put("content", pt);
            }
            n++;
          } else if (content != null && content.isArray()) {
            for (int c = 0; c < content.size(); c++) {
              JsonNode part = content.get(c);
              if (!part.isObject()) {
                continue;
              }
              String pb = base + "." + c;
              n += openMember((ObjectNode) part, "text", pb + ".text", opener);
              JsonNode img = part.get("image_url");
              if (img != null && img.isObject()) {
                n += openMember((ObjectNode) img, "url", pb + ".image_url.url", opener);
              }
              JsonNode audio = part.get("input_audio");
              if (audio != null && audio.isObject()) {
                n += openMember((ObjectNode) audio, "data", pb + ".input_audio.data", opener);
              }
            }
          }
        }
      }
    } else if (endpoint == Endpoint.COMPLETIONS) {
      n += openStringOrList(req, "prompt", opener);
    }
    return n;
  }

  private static int openStringOrList(ObjectNode req, String name, Opener opener) throws E2eeException {
    JsonNode v = req.get(name);
    if (v == null) {
      return 0;
    }
    if (v.isTextual()) {
      req.put(name, opener.open(name, v.textValue()));
      return 1;
    }
    int n = 0;
    if (v.isArray()) {
      ArrayNode a = (ArrayNode) v;
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, a.textNode(opener.open(name + "." + i, a.get(i).textValue())));
          n++;
        }
      }
    }
    return n;
  }

  private static int openMember(ObjectNode o, String member, String path, Opener opener) throws E2eeException {
    JsonNode v = o.get(member);
    if (v != null && v.isTextual()) {
      o.put(member, opener.open(path, v.textValue()));
      return 1;
    }
    return 0;
  }

  /** Seals the fields of a full response in place. */
  static void sealResponse(ObjectNode resp, Endpoint endpoint, Sealer sealer) {
    forEachChoice(
        resp,
        (choice, i) -> {
          String base = "choices." + i;
          if (endpoint == Endpoint.COMPLETIONS) {
            sealMember(choice, "text", base + ".text", sealer, false);
            return;
          }
          JsonNode msg = choice.get("message");
          if (msg != null && msg.isObject()) {
            ObjectNode mo = (ObjectNode) msg;
            for (String f : new String[] {"content", "reasoning", "reasoning_content"}) {
              sealMember(mo, f, base + ".message." + f, sealer, false);
            }
            JsonNode audio = mo.get("audio");
            if (audio != null && audio.isObject()) {
              sealMember((ObjectNode) audio, "data", base + ".message.audio.data", sealer, false);
            }
          }
        });
  }

  /** Seals the fields of one stream chunk in place. */
  static void sealChunk(ObjectNode chunk, Endpoint endpoint, Sealer sealer) {
    forEachChoice(
        chunk,
        (choice, i) -> {
          String base = "choices." + i;
          if (endpoint == Endpoint.COMPLETIONS) {
            sealMember(choice, "text", base + ".text", sealer, false);
            return;
          }
          JsonNode delta = choice.get("delta");
          if (delta != null && delta.isObject()) {
            ObjectNode d = (ObjectNode) delta;
            sealMember(d, "content", base + ".delta.content", sealer, true);
            sealMember(d, "reasoning", base + ".delta.reasoning", sealer, false);
            sealMember(d, "reasoning_content", base + ".delta.reasoning_content", sealer, false);
          }
        });
  }

  private static void sealMember(ObjectNode o, String member, String path, Sealer sealer, boolean omitEmpty) {
    JsonNode v = o.get(member);
    if (v == null || !v.isTextual()) {
      return;
    }
    if (omitEmpty && v.textValue().isEmpty()) {
      o.remove(member);
      return;
    }
    o.put(member, sealer.seal(path, v.textValue()));
  }

  private interface ChoiceVisitor {
    void visit(ObjectNode choice, long index);
  }

  private static void forEachChoice(ObjectNode resp, ChoiceVisitor v) {
    JsonNode choices = resp.get("choices");
    if (choices == null || !choices.isArray()) {
      return;
    }
    for (int pos = 0; pos < choices.size(); pos++) {
      JsonNode c = choices.get(pos);
      if (!c.isObject()) {
        continue;
      }
      JsonNode idx = c.get("index");
      long i = idx != null && idx.canConvertToLong() && idx.isIntegralNumber() ? idx.longValue() : pos;
      v.visit((ObjectNode) c, i);
    }
  }

  /** Parses a plaintext as a JSON array, or returns null if it is not one. */
  interface JsonParserFn {
    JsonNode parseArrayOrNull(String text);
  }
}
