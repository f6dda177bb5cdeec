package org.openshard.bridge.jcs;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme over Jackson trees: object members sorted by their names'
 * UTF-16 code units, no whitespace, strings escaped as ECMAScript {@code JSON.stringify} does, UTF-8
 * output.
 *
 * <p>Numbers: only integers with magnitude ≤ 2^53 (exactly representable as IEEE-754 doubles) are
 * supported; they are written in plain decimal, which is what ECMAScript produces for them. Any
 * other number (fractions, exponents, larger integers) is rejected with {@link
 * IllegalArgumentException} rather than risk a non-canonical form. The protocol documents this
 * module signs only use strings, booleans, null and such integers.
 */
public final class Jcs {
  private static final BigInteger MAX_SAFE = BigInteger.valueOf(9007199254740992L); // 2^53

  private Jcs() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] canonicalize(JsonNode node) {
    return canonicalString(node).getBytes(StandardCharsets.UTF_8);
  }

  /** The canonical form as a Java string. */
  public static String canonicalString(JsonNode node) {
    StringBuilder sb = new StringBuilder(256);
    write(node, sb);
    return sb.toString();
  }

  private static void write(JsonNode node, StringBuilder sb) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      sb.append("null");
    } else if (node.isBoolean()) {
      sb.append(node.booleanValue() ? "true" : "false");
    } else if (node.isTextual()) {
      writeString(node.textValue(), sb);
    } else if (node.isNumber()) {
      writeNumber(node, sb);
    } else if (node.isArray()) {
      sb.append('[');
      boolean first = true;
      for (JsonNode e : node) {
        if (!first) {
          sb.append(',');
        }
        write(e, sb);
        first = false;
      }
      sb.append(']');
    } else if (node.isObject()) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
      // String.compareTo compares UTF-16 code units, exactly what RFC 8785 section 3.2.3 requires.
      members.sort(Map.Entry.comparingByKey());
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonNode> m : members) {
        if (!first) {
          sb.append(',');
        }
        writeString(m.getKey(), sb);
        sb.append(':');
        write(m.getValue(), sb);
        first = false;
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("JCS: unsupported JSON node type " + node.getNodeType());
    }
  }

  private static void writeNumber(JsonNode node, StringBuilder sb) {
    BigInteger v;
    if (node.isIntegralNumber()) {
      v = node.bigIntegerValue();
    } else {
      java.math.BigDecimal d = node.decimalValue();
      try {
        v = d.toBigIntegerExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("JCS: only integers are supported, got " + d);
      }
    }
    if (v.abs().compareTo(MAX_SAFE) > 0) {
      throw new IllegalArgumentException("JCS: integer outside ±2^53 is not supported");
    }
    sb.append(v.toString());
  }

  private static void writeString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
              throw new IllegalArgumentException("JCS: lone surrogate in string");
            }
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isLowSurrogate(c)) {
            throw new IllegalArgumentException("JCS: lone surrogate in string");
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
