package dev.lambdagate.harness.emulator.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as a Node.js Lambda function sees it: {@link #parse} plays {@code JSON.parse} on the
 * payload, {@link #stringify} plays {@code JSON.stringify} on the result, byte for byte.
 *
 * <p>The value model is plain Java: {@code Map<String, Object>} (insertion-ordered) for objects,
 * {@code List<Object>} for arrays, {@link String}, {@link Double} for every number (JavaScript has
 * only doubles), {@link Boolean}, and {@code null}.
 *
 * <p>What {@code JSON.stringify} does that a Java JSON library does not:
 *
 * <ul>
 *   <li>object keys that are array indices ({@code "0"}, {@code "17"}, up to 2^32-2) come first in
 *       ascending numeric order, then the other keys in insertion order;
 *   <li>a repeated key keeps the position of its first occurrence and the last value;
 *   <li>numbers print as JavaScript prints them ({@code 1}, not {@code 1.0}; {@code 1e+21});
 *       non-finite numbers print as {@code null};
 *   <li>only {@code "}, {@code \}, and control characters are escaped ({@code \b \f \n \r \t}, else
 *       <code>&#92;u00xx</code> in lower case), plus lone surrogates; {@code /} and non-ASCII stay
 *       literal.
 * </ul>
 *
 * <p>Parsing is done by Jackson because Lambda's front end validates payloads with Jackson before
 * the function sees them; its error messages are reproduced in {@link InvalidJsonPayloadException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class JavaScriptJson {

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNumberLength(Integer.MAX_VALUE) // JSON.parse accepts any length
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  /** How much of the payload Jackson quotes in its error location. */
  private static final int QUOTED_SOURCE_LIMIT = 500;

  private static final long MAX_ARRAY_INDEX = 4294967294L;

  private JavaScriptJson() {}

  /**
   * Parses one JSON value from UTF-8 bytes.
   *
   * @throws InvalidJsonPayloadException if the bytes are not exactly one JSON value
   */
  public static Object parse(byte[] utf8) throws InvalidJsonPayloadException {
    try (JsonParser parser = FACTORY.createParser(utf8)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new InvalidJsonPayloadException(
            "No content to map due to end-of-input" + location(utf8, parser.currentLocation()));
      }
      Object value = readValue(parser, first);
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new InvalidJsonPayloadException(
            "Unexpected content after the root-level value: "
                + trailing.asString()
                + location(utf8, parser.currentLocation()));
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new InvalidJsonPayloadException(
          e.getOriginalMessage() + location(utf8, e.getLocation()));
    } catch (IOException e) {
      throw new InvalidJsonPayloadException(String.valueOf(e.getMessage()));
    }
  }

  /** Serialises a value of the model described above exactly like {@code JSON.stringify(value)}. */
  public static String stringify(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  /** Appends {@code text} as a JSON string literal, escaped like {@code JSON.stringify}. */
  public static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
              out.append(c).append(text.charAt(++i));
            } else {
              appendUnicodeEscape(out, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            appendUnicodeEscape(out, c); // a low surrogate here has no high one before it
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> object = new LinkedHashMap<>();
          for (JsonToken t = parser.nextToken();
              t != JsonToken.END_OBJECT;
              t = parser.nextToken()) {
            String key = parser.currentName();
            object.put(key, readValue(parser, parser.nextToken()));
          }
          return object;
        }
      case START_ARRAY:
        {
          List<Object> array = new ArrayList<>();
          for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            array.add(readValue(parser, t));
          }
          return array;
        }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        // Java's parseDouble rounds correctly, as JSON.parse does; overflow gives Infinity.
        return Double.parseDouble(parser.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("Unexpected token " + token);
    }
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      quote(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Number number) {
      double d = number.doubleValue();
      out.append(Double.isFinite(d) ? JavaScriptNumberFormat.format(d) : "null");
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
    }
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map) {
    List<Map.Entry<?, ?>> indexKeys = new ArrayList<>();
    List<Map.Entry<?, ?>> otherKeys = new ArrayList<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      (arrayIndex(String.valueOf(entry.getKey())) >= 0 ? indexKeys : otherKeys).add(entry);
    }
    indexKeys.sort(
        (a, b) ->
            Long.compare(
                arrayIndex(String.valueOf(a.getKey())), arrayIndex(String.valueOf(b.getKey()))));
    out.append('{');
    boolean first = true;
    for (List<Map.Entry<?, ?>> group : List.of(indexKeys, otherKeys)) {
      for (Map.Entry<?, ?> entry : group) {
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
      }
    }
    out.append('}');
  }

  /** The key's value as an array index, or -1 when JavaScript treats it as an ordinary name. */
  private static long arrayIndex(String key) {
    int length = key.length();
    if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= MAX_ARRAY_INDEX ? value : -1;
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    out.append("0".repeat(4 - hex.length())).append(hex);
  }

  /** Jackson's classic location suffix, which is what Lambda's messages carry. */
  private static String location(byte[] source, JsonLocation location) {
    String quoted;
    if (source.length > QUOTED_SOURCE_LIMIT) {
      quoted =
          new String(source, 0, QUOTED_SOURCE_LIMIT, StandardCharsets.UTF_8)
              + "\"[truncated "
              + (source.length - QUOTED_SOURCE_LIMIT)
              + " bytes]";
    } else {
      quoted = new String(source, StandardCharsets.UTF_8) + "\"";
    }
    int line = location == null ? 1 : location.getLineNr();
    int column = location == null ? 1 : location.getColumnNr();
    return "\n at [Source: (byte[])\"" + quoted + "; line: " + line + ", column: " + column + "]";
  }
}
