package dev.lambdagate.json;

import java.util.Arrays;
import java.util.List;

/**
 * Builds compact JSON text as UTF-8 bytes in a growable (and reusable) byte array, checking that
 * names and values are written in a valid order.
 *
 * <p>Strings are escaped so that the output is valid JSON and safe to embed in JavaScript: quote,
 * backslash, every control character below U+0020 and U+2028/U+2029 are escaped; other characters,
 * including non-ASCII ones, are written as themselves (UTF-8 once {@link #toUtf8()} encodes them).
 * An unpaired surrogate, which has no UTF-8 form, is written as U+FFFD.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject()
 *         .name("error").value("payload_too_large")
 *         .name("message").value(message)
 *         .endObject().toString();
 * }</pre>
 */
public final class JsonWriter {

  private static final byte ARRAY_EMPTY = 0;
  private static final byte ARRAY = 1;
  private static final byte OBJECT_EMPTY = 2;
  private static final byte OBJECT = 3;

  private static final char REPLACEMENT = '\uFFFD';
  private static final String HEX = "0123456789abcdef";

  /** The UTF-8 text written so far is {@code buf[0, len)}. */
  private byte[] buf;

  private int len;

  /** The most bytes the text may take; writing more throws {@link SizeLimitExceeded}. */
  private int maxBytes = Integer.MAX_VALUE - 64;

  /** One entry per open array or object: whether it is an object and whether it has members. */
  private byte[] open = new byte[16];

  private int depth;
  private boolean nameWritten;
  private boolean rootWritten;

  public JsonWriter() {
    this(128);
  }

  /** A writer whose buffer starts with room for {@code capacity} bytes. */
  public JsonWriter(int capacity) {
    this.buf = new byte[capacity < 16 ? 16 : capacity];
  }

  /**
   * A writer that writes into {@code buffer} (from its start) and grows past it only when the text
   * needs more room: the caller keeps {@link #buffer()} for the next text, so that a large text
   * costs one allocation per high-water mark instead of one per text.
   */
  public JsonWriter(byte[] buffer) {
    this.buf = buffer.length < 16 ? new byte[16] : buffer;
  }

  /** Thrown when the text would exceed the writer's {@link #maxBytes} limit. */
  public static final class SizeLimitExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    SizeLimitExceeded(int limit) {
      super("the JSON text exceeds " + limit + " bytes");
      this.limit = limit;
    }

    public int limit() {
      return limit;
    }
  }

  /**
   * Caps the text at {@code limit} bytes: a write that would pass it throws {@link
   * SizeLimitExceeded} before the buffer grows, so an oversized text never costs memory.
   */
  public JsonWriter maxBytes(int limit) {
    this.maxBytes = limit;
    return this;
  }

  /** The buffer holding the text ({@code [0, length())}); may be longer than the text. */
  public byte[] buffer() {
    return buf;
  }

  /** How many bytes of UTF-8 text have been written. */
  public int length() {
    return len;
  }

  public JsonWriter beginObject() {
    beforeValue();
    put('{');
    push(OBJECT_EMPTY);
    return this;
  }

  public JsonWriter endObject() {
    if (depth == 0 || open[depth - 1] < OBJECT_EMPTY) {
      throw new IllegalStateException("endObject outside an object");
    }
    if (nameWritten) {
      throw new IllegalStateException("endObject after a name without a value");
    }
    depth--;
    put('}');
    return this;
  }

  public JsonWriter beginArray() {
    beforeValue();
    put('[');
    push(ARRAY_EMPTY);
    return this;
  }

  public JsonWriter endArray() {
    if (depth == 0 || open[depth - 1] >= OBJECT_EMPTY) {
      throw new IllegalStateException("endArray outside an array");
    }
    depth--;
    put(']');
    return this;
  }

  /** Writes the name of the next member of the current object. */
  public JsonWriter name(String name) {
    if (depth == 0 || open[depth - 1] < OBJECT_EMPTY) {
      throw new IllegalStateException("a member name outside an object");
    }
    if (nameWritten) {
      throw new IllegalStateException("two member names in a row");
    }
    if (open[depth - 1] == OBJECT) {
      put(',');
    } else {
      open[depth - 1] = OBJECT;
    }
    writeQuoted(name);
    put(':');
    nameWritten = true;
    return this;
  }

  /** Writes a string value, or JSON null when {@code value} is null. */
  public JsonWriter value(String value) {
    if (value == null) {
      return nullValue();
    }
    beforeValue();
    writeQuoted(value);
    return this;
  }

  public JsonWriter value(long value) {
    beforeValue();
    writeAscii(Long.toString(value));
    return this;
  }

  public JsonWriter value(boolean value) {
    beforeValue();
    writeAscii(value ? "true" : "false");
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    writeAscii("null");
    return this;
  }

  /**
   * Writes a string value whose content is the UTF-8 text {@code utf8[offset, offset+length)},
   * without first building a {@link String}. Malformed sequences are written as U+FFFD; check
   * {@link Utf8#isValid} first when that matters.
   */
  public JsonWriter valueFromUtf8(byte[] utf8, int offset, int length) {
    beginStringValue();
    stringPartFromUtf8(utf8, offset, length);
    return endStringValue();
  }

  /** Writes a string value holding {@code bytes[offset, offset+length)} in standard Base64. */
  public JsonWriter valueBase64(byte[] bytes, int offset, int length) {
    beginStringValue();
    stringPartBase64(bytes, offset, length);
    return endStringValue();
  }

  /**
   * Opens a string value written in parts ({@link #stringPartFromUtf8}, {@link #stringPartBase64})
   * and closed by {@link #endStringValue}: for a value too large to hold in memory at once, such as
   * a request body read piece by piece from the host.
   */
  public JsonWriter beginStringValue() {
    beforeValue();
    put('"');
    return this;
  }

  /**
   * Appends UTF-8 text to an open string value, escaped. A part should end on a character boundary:
   * a sequence cut by the end of a part is malformed there and written as U+FFFD.
   */
  public JsonWriter stringPartFromUtf8(byte[] utf8, int offset, int length) {
    ensureHint(length + 2);
    int end = offset + length;
    int i = offset;
    while (i < end) {
      byte b = utf8[i];
      if (b >= 0x20 && b != '"' && b != '\\') {
        // Runs of plain ASCII are the usual case: one capacity check for the run.
        if (len == buf.length) {
          ensure(1);
        }
        buf[len++] = b;
        i++;
        continue;
      }
      if (b >= 0) {
        writeEscaped((char) b);
        i++;
        continue;
      }
      int n = Utf8.sequenceLength(utf8, i, end);
      if (n == 0) {
        writeReplacement();
        i++;
        continue;
      }
      if (n == 3
          && (utf8[i] & 0xFF) == 0xE2
          && (utf8[i + 1] & 0xFF) == 0x80
          && ((utf8[i + 2] & 0xFF) == 0xA8 || (utf8[i + 2] & 0xFF) == 0xA9)) {
        writeEscaped((char) Utf8.decode(utf8, i, 3)); // U+2028, U+2029
      } else {
        ensure(n);
        System.arraycopy(utf8, i, buf, len, n);
        len += n;
      }
      i += n;
    }
    return this;
  }

  /**
   * Appends the Base64 of {@code bytes[offset, offset+length)} to an open string value. Every part
   * but the last must be a multiple of 3 bytes long, or padding lands inside the text.
   */
  public JsonWriter stringPartBase64(byte[] bytes, int offset, int length) {
    int encoded = Base64Codec.encodedLength(length);
    ensure(encoded);
    len = Base64Codec.encodeTo(buf, len, bytes, offset, length);
    return this;
  }

  /** Closes a string value opened by {@link #beginStringValue}. */
  public JsonWriter endStringValue() {
    put('"');
    return this;
  }

  /** Writes a whole tree. Numbers are written exactly as their source text. */
  public JsonWriter value(JsonValue value) {
    switch (value.type()) {
      case OBJECT:
        beginObject();
        JsonObject object = (JsonObject) value;
        for (int i = 0; i < object.size(); i++) {
          name(object.name(i));
          value(object.value(i));
        }
        return endObject();
      case ARRAY:
        beginArray();
        List<JsonValue> items = ((JsonArray) value).items();
        for (int i = 0; i < items.size(); i++) {
          value(items.get(i));
        }
        return endArray();
      case STRING:
        return value(((JsonString) value).value());
      case NUMBER:
        beforeValue();
        writeAscii(((JsonNumber) value).text());
        return this;
      case BOOLEAN:
        return value(((JsonBoolean) value).value());
      default:
        return nullValue();
    }
  }

  /** The JSON text written so far. */
  @Override
  public String toString() {
    return Utf8.decodeString(buf, 0, len);
  }

  /** A copy of the JSON text written so far, as UTF-8. */
  public byte[] toUtf8() {
    return Arrays.copyOf(buf, len);
  }

  /** {@code value} as a JSON string literal, quotes included. */
  public static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2);
    appendQuoted(sb, value);
    return sb.toString();
  }

  /** Appends {@code value} to {@code sb} as a JSON string literal, quotes included. */
  public static void appendQuoted(StringBuilder sb, String value) {
    sb.append('"');
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          sb.append(c).append(value.charAt(i + 1));
          i++;
        } else {
          sb.append(REPLACEMENT);
        }
      } else if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
        sb.append(c);
      } else {
        sb.append(escape(c));
      }
    }
    sb.append('"');
  }

  /** {@code value} as a quoted, escaped JSON string in UTF-8. */
  private void writeQuoted(String value) {
    int length = value.length();
    ensureHint(length + 2);
    put('"');
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          put((byte) c);
        } else {
          writeEscaped(c);
        }
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, value.charAt(++i));
        ensure(4);
        buf[len++] = (byte) (0xF0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        writeReplacement();
      } else if (c == '\u2028' || c == '\u2029') {
        writeEscaped(c);
      } else {
        ensure(3);
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    put('"');
  }

  private void writeReplacement() {
    ensure(3);
    buf[len++] = (byte) 0xEF;
    buf[len++] = (byte) 0xBF;
    buf[len++] = (byte) 0xBD;
  }

  private void writeEscaped(char c) {
    writeAscii(escape(c));
  }

  /** The escape sequence of a character JSON (or JavaScript) cannot hold as itself. */
  private static String escape(char c) {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\b':
        return "\\b";
      case '\f':
        return "\\f";
      default:
        return new StringBuilder(6)
            .append("\\u")
            .append(HEX.charAt((c >> 12) & 0xF))
            .append(HEX.charAt((c >> 8) & 0xF))
            .append(HEX.charAt((c >> 4) & 0xF))
            .append(HEX.charAt(c & 0xF))
            .toString();
    }
  }

  private void writeAscii(String ascii) {
    int n = ascii.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) ascii.charAt(i);
    }
  }

  private void put(char c) {
    put((byte) c);
  }

  private void put(byte b) {
    if (len == buf.length) {
      ensure(1);
    }
    buf[len++] = b;
  }

  /** Makes room for exactly {@code more} bytes, or throws when they pass {@link #maxBytes}. */
  private void ensure(int more) {
    long needed = (long) len + more;
    if (needed <= buf.length) {
      return;
    }
    if (needed > maxBytes) {
      throw new SizeLimitExceeded(maxBytes);
    }
    grow(needed);
  }

  /** Makes room for about {@code more} bytes if the limit allows; callers still check per write. */
  private void ensureHint(int more) {
    long needed = (long) len + more;
    if (needed > maxBytes) {
      needed = maxBytes;
    }
    if (needed > buf.length) {
      grow(needed);
    }
  }

  /** Doubles the buffer (at least to {@code needed}), never past {@link #maxBytes}. */
  private void grow(long needed) {
    long grown = (long) buf.length * 2;
    if (grown < needed) {
      grown = needed;
    }
    if (grown > maxBytes) {
      grown = maxBytes;
    }
    buf = Arrays.copyOf(buf, (int) grown);
  }

  private void beforeValue() {
    if (depth == 0) {
      if (rootWritten) {
        throw new IllegalStateException("a JSON text holds a single top-level value");
      }
      rootWritten = true;
      return;
    }
    byte state = open[depth - 1];
    if (state >= OBJECT_EMPTY) {
      if (!nameWritten) {
        throw new IllegalStateException("an object member needs a name before its value");
      }
      nameWritten = false;
    } else if (state == ARRAY) {
      put(',');
    } else {
      open[depth - 1] = ARRAY;
    }
  }

  private void push(byte state) {
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
    }
    open[depth++] = state;
  }
}
