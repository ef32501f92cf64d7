package dev.lambdagate.json;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * A strict RFC 8259 JSON parser over UTF-8 bytes.
 *
 * <p>Rejects everything the RFC does not allow: trailing data after the value, unescaped control
 * characters in strings, leading zeros, {@code +1}, {@code .5}, {@code 1.}, bare words, comments,
 * trailing commas, a byte-order mark, malformed UTF-8 and unpaired surrogate escapes. Duplicate
 * member names are rejected too, so that a value can never be shadowed by a second one with the
 * same name. Nesting is limited to {@link #MAX_DEPTH} levels so that hostile input cannot exhaust
 * the stack.
 */
public final class JsonParser {

  /** The deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 512;

  /**
   * String values decoding to at least this many bytes are kept as UTF-8 ({@link
   * JsonString#utf8()}).
   */
  static final int BYTES_STRING_THRESHOLD = 4096;

  private final byte[] in;
  private final int start;
  private final int end;
  private int pos;
  private int depth;

  /** Per wanted name, the longest value built, in bytes; null for no limits. */
  private int[] limits;

  /** The value over its limit, found while the document is read. */
  private JsonMemberTooLongException tooLong;

  private static final String[] EMPTY_NAMES = {};
  private static final JsonValue[] EMPTY_VALUES = {};
  private static final int[] EMPTY_OFFSETS = {};

  /** Reused for every string so that decoding allocates only the final String. */
  private char[] chars = new char[64];

  private JsonParser(byte[] in, int start, int end) {
    this.in = in;
    this.start = start;
    this.end = end;
    this.pos = start;
  }

  /** Parses one JSON document from UTF-8 bytes. */
  public static JsonValue parse(byte[] utf8) throws JsonParseException {
    return parse(utf8, 0, utf8.length);
  }

  /**
   * Parses one JSON document from {@code utf8[offset, offset + length)}; error offsets count from
   * {@code offset}.
   */
  public static JsonValue parse(byte[] utf8, int offset, int length) throws JsonParseException {
    if (offset < 0 || length < 0 || offset + length > utf8.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
    }
    return new JsonParser(utf8, offset, offset + length).document();
  }

  /**
   * Parses one JSON document from {@code utf8[offset, offset + length)} whose root is read as an
   * object of which only the members named in {@code names} are built: the rest of the document is
   * checked as {@link #parse(byte[], int, int)} checks it (syntax, UTF-8, escapes, nesting) but
   * nothing of it is kept, so a large or hostile document costs no memory beyond what is read.
   * Duplicate member names are refused among the named members and inside their values; elsewhere
   * they are not looked for, since nothing is read there that a second value could shadow.
   *
   * @return the named members that are present, in document order, or null when the document is
   *     JSON but its root is not an object ({@link #rootType} says what it is)
   */
  public static JsonObject parseMembers(byte[] utf8, int offset, int length, String... names)
      throws JsonParseException {
    try {
      return parseMembers(utf8, offset, length, names, null);
    } catch (JsonMemberTooLongException e) {
      throw new AssertionError("no limits were given", e);
    }
  }

  /**
   * As {@link #parseMembers(byte[], int, int, String...)}, and the value of {@code names[i]} may be
   * at most {@code maxValueBytes[i]} bytes of JSON text: a longer one is checked, not built, and
   * refused.
   *
   * @param maxValueBytes a limit for each name, or null for none
   * @throws JsonMemberTooLongException for the first value, in document order, over its limit
   */
  public static JsonObject parseMembers(
      byte[] utf8, int offset, int length, String[] names, int[] maxValueBytes)
      throws JsonParseException, JsonMemberTooLongException {
    if (offset < 0 || length < 0 || offset + length > utf8.length) {
      throw new IndexOutOfBoundsException("offset " + offset + ", length " + length);
    }
    if (maxValueBytes != null && maxValueBytes.length != names.length) {
      throw new IllegalArgumentException("one limit per name");
    }
    JsonParser parser = new JsonParser(utf8, offset, offset + length);
    parser.limits = maxValueBytes;
    return parser.membersDocument(names);
  }

  /**
   * The kind of the JSON value that {@code utf8[offset, offset + length)} starts with, judged by
   * its first byte after whitespace (the document is not checked), or null when it starts with
   * nothing a JSON value starts with.
   */
  public static JsonType rootType(byte[] utf8, int offset, int length) {
    int i = offset;
    while (i < offset + length
        && (utf8[i] == ' ' || utf8[i] == '\t' || utf8[i] == '\n' || utf8[i] == '\r')) {
      i++;
    }
    if (i == offset + length) {
      return null;
    }
    byte b = utf8[i];
    if (b == '{') {
      return JsonType.OBJECT;
    } else if (b == '[') {
      return JsonType.ARRAY;
    } else if (b == '"') {
      return JsonType.STRING;
    } else if (b == 't' || b == 'f') {
      return JsonType.BOOLEAN;
    } else if (b == 'n') {
      return JsonType.NULL;
    }
    return b == '-' || isDigit(b) ? JsonType.NUMBER : null;
  }

  /** Parses one JSON document; error offsets are offsets in the text's UTF-8 encoding. */
  public static JsonValue parse(String text) throws JsonParseException {
    return parse(Utf8.encode(text));
  }

  private JsonValue document() throws JsonParseException {
    skipWhitespace();
    JsonValue value = value();
    skipWhitespace();
    if (pos < end) {
      throw error("unexpected " + describe(in[pos]) + " after the JSON value", pos);
    }
    return value;
  }

  private JsonObject membersDocument(String[] names)
      throws JsonParseException, JsonMemberTooLongException {
    skipWhitespace();
    JsonObject members = null;
    if (pos < end && in[pos] == '{') {
      members = members(names);
    } else {
      skipValue();
    }
    skipWhitespace();
    if (pos < end) {
      throw error("unexpected " + describe(in[pos]) + " after the JSON value", pos);
    }
    // Only a document that is JSON throughout is refused for a long value: a syntax error
    // anywhere is the answer for one that is not.
    if (tooLong != null) {
      throw tooLong;
    }
    return members;
  }

  /**
   * The object at {@code pos}: all its members when {@code wanted} is null, else only those named
   * in {@code wanted} (the others are checked and skipped).
   */
  private JsonObject members(String[] wanted) throws JsonParseException {
    enter();
    pos++; // '{'
    int n = 0;
    String[] names = EMPTY_NAMES;
    JsonValue[] values = EMPTY_VALUES;
    int[] offsets = EMPTY_OFFSETS;
    skipWhitespace();
    if (pos < end && in[pos] == '}') {
      pos++;
      depth--;
      return new JsonObject(names, values, 0);
    }
    while (true) {
      skipWhitespace();
      expectMemberName();
      int nameOffset = pos;
      String name;
      int limit = Integer.MAX_VALUE;
      if (wanted == null) {
        name = string();
      } else {
        // Decoded into the reused buffer: the name becomes a String only if it is one wanted.
        int index = wantedIndex(wanted, decodeString());
        name = index < 0 ? null : wanted[index];
        if (index >= 0 && limits != null) {
          limit = limits[index];
        }
      }
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (name == null) {
        skipValue();
      } else if (limit != Integer.MAX_VALUE) {
        // Checked first, built only if it is within its limit.
        int valueStart = pos;
        skipValue();
        if (pos - valueStart <= limit) {
          pos = valueStart;
        } else {
          if (tooLong == null) {
            tooLong = new JsonMemberTooLongException(name, limit);
          }
          name = null;
        }
      }
      if (name != null) {
        if (n == names.length) {
          int grown = n == 0 ? 4 : n * 2;
          names = Arrays.copyOf(names, grown);
          values = Arrays.copyOf(values, grown);
          offsets = Arrays.copyOf(offsets, grown);
        }
        names[n] = name;
        values[n] = value();
        offsets[n] = nameOffset;
        n++;
      }
      if (!another('}')) {
        JsonObject object = new JsonObject(names, values, n);
        int repeat = object.firstRepeat();
        if (repeat >= 0) {
          throw error("duplicate member name " + JsonWriter.quote(names[repeat]), offsets[repeat]);
        }
        return object;
      }
    }
  }

  /** Checks that a member name starts at {@code pos}. */
  private void expectMemberName() throws JsonParseException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a member name", pos);
    }
    if (in[pos] != '"') {
      throw error("unexpected " + describe(in[pos]) + ", expected a member name", pos);
    }
  }

  /**
   * After an item of an array or object: true after a ',' (another item follows), false after
   * {@code close}, which ends the container.
   */
  private boolean another(char close) throws JsonParseException {
    skipWhitespace();
    if (pos >= end) {
      throw error("unexpected end of input, expected ',' or '" + close + "'", pos);
    }
    byte b = in[pos];
    if (b == ',') {
      pos++;
      return true;
    }
    if (b == close) {
      pos++;
      depth--;
      return false;
    }
    throw error("unexpected " + describe(b) + ", expected ',' or '" + close + "'", pos);
  }

  /** The index of the one of {@code names} equal to {@code chars[0, n)}, or -1. */
  private int wantedIndex(String[] names, int n) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].length() == n && sameChars(names[i], n)) {
        return i;
      }
    }
    return -1;
  }

  private boolean sameChars(String name, int n) {
    for (int i = 0; i < n; i++) {
      if (name.charAt(i) != chars[i]) {
        return false;
      }
    }
    return true;
  }

  /** Checks the value at {@code pos} as {@link #value()} does, building nothing. */
  private void skipValue() throws JsonParseException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a value", pos);
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        skipContainer('}');
        return;
      case '[':
        skipContainer(']');
        return;
      case '"':
        utf8String(null);
        return;
      case 't':
        literal("true");
        return;
      case 'f':
        literal("false");
        return;
      case 'n':
        literal("null");
        return;
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          skipNumber();
          return;
        }
        throw error("unexpected " + describe(b) + ", expected a value", pos);
    }
  }

  /** Checks the object ({@code close} '}') or array (']') at {@code pos}, building nothing. */
  private void skipContainer(char close) throws JsonParseException {
    boolean object = close == '}';
    enter();
    pos++;
    skipWhitespace();
    if (pos < end && in[pos] == close) {
      pos++;
      depth--;
      return;
    }
    while (true) {
      skipWhitespace();
      if (object) {
        expectMemberName();
        utf8String(null);
        skipWhitespace();
        expect(':');
        skipWhitespace();
      }
      skipValue();
      if (!another(close)) {
        return;
      }
    }
  }

  private JsonValue value() throws JsonParseException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a value", pos);
    }
    byte b = in[pos];
    switch (b) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return stringValue();
      case 't':
        literal("true");
        return JsonBoolean.TRUE;
      case 'f':
        literal("false");
        return JsonBoolean.FALSE;
      case 'n':
        literal("null");
        return JsonNull.INSTANCE;
      default:
        if (b == '-' || (b >= '0' && b <= '9')) {
          return number();
        }
        throw error("unexpected " + describe(b) + ", expected a value", pos);
    }
  }

  private JsonObject object() throws JsonParseException {
    return members(null);
  }

  private JsonArray array() throws JsonParseException {
    enter();
    pos++; // '['
    ArrayList<JsonValue> items = new ArrayList<>();
    skipWhitespace();
    if (pos < end && in[pos] == ']') {
      pos++;
      depth--;
      return new JsonArray(items);
    }
    while (true) {
      skipWhitespace();
      items.add(value());
      if (!another(']')) {
        return new JsonArray(items);
      }
    }
  }

  private void enter() throws JsonParseException {
    if (++depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
    }
  }

  /** Reads a string starting at its opening quote; leaves {@code pos} after the closing quote. */
  private String string() throws JsonParseException {
    int n = decodeString();
    return new String(chars, 0, n);
  }

  /**
   * Decodes the string starting at its opening quote into {@code chars} and returns its length in
   * chars; leaves {@code pos} after the closing quote.
   */
  private int decodeString() throws JsonParseException {
    int open = pos;
    pos++;
    int n = 0;
    while (true) {
      if (pos >= end) {
        throw error("unterminated string", open);
      }
      if (n + 2 > chars.length) {
        chars = Arrays.copyOf(chars, chars.length * 2);
      }
      int b = in[pos] & 0xFF;
      if (b == '"') {
        pos++;
        return n;
      }
      if (b == '\\') {
        n = escape(n);
      } else if (b < 0x20) {
        throw error("unescaped control character " + hex("U+", b, 4) + " in string", pos);
      } else if (b < 0x80) {
        chars[n++] = (char) b;
        pos++;
      } else {
        int length = Utf8.sequenceLength(in, pos, end);
        if (length == 0) {
          throw error("malformed UTF-8", pos);
        }
        int codePoint = Utf8.decode(in, pos, length);
        pos += length;
        if (codePoint >= 0x10000) {
          chars[n++] = Character.highSurrogate(codePoint);
          chars[n++] = Character.lowSurrogate(codePoint);
        } else {
          chars[n++] = (char) codePoint;
        }
      }
    }
  }

  /**
   * A string value. One that decodes to {@link #BYTES_STRING_THRESHOLD} bytes or more is kept as
   * UTF-8 bytes (a first pass checks it and counts them, the second decodes into an array of
   * exactly that size): a large text such as a function result's body then costs its own size once,
   * instead of a growing char buffer, a UTF-16 String and re-encoding.
   */
  private JsonValue stringValue() throws JsonParseException {
    int open = pos;
    int length = utf8String(null);
    if (length < BYTES_STRING_THRESHOLD) {
      pos = open;
      return JsonString.of(string());
    }
    byte[] utf8 = new byte[length];
    pos = open;
    utf8String(utf8);
    return JsonString.ofUtf8(utf8);
  }

  /**
   * Checks the string at {@code pos} and decodes it as UTF-8 into {@code out} (or only counts the
   * bytes when {@code out} is null); returns the decoded length, leaves {@code pos} after the
   * closing quote. Errors are those of {@link #string()}.
   */
  private int utf8String(byte[] out) throws JsonParseException {
    int open = pos;
    pos++;
    int n = 0;
    while (true) {
      if (pos >= end) {
        throw error("unterminated string", open);
      }
      int b = in[pos] & 0xFF;
      if (b == '"') {
        pos++;
        return n;
      }
      if (b == '\\') {
        int charCount = escape(0); // into chars[0..1]: one char or a surrogate pair
        for (int i = 0; i < charCount; i++) {
          char c = chars[i];
          if (Character.isHighSurrogate(c)) {
            int cp = Character.toCodePoint(c, chars[++i]);
            n = putUtf8(out, n, cp);
          } else {
            n = putUtf8(out, n, c);
          }
        }
      } else if (b < 0x20) {
        throw error("unescaped control character " + hex("U+", b, 4) + " in string", pos);
      } else if (b < 0x80) {
        if (out != null) {
          out[n] = (byte) b;
        }
        n++;
        pos++;
      } else {
        int length = Utf8.sequenceLength(in, pos, end);
        if (length == 0) {
          throw error("malformed UTF-8", pos);
        }
        if (out != null) {
          System.arraycopy(in, pos, out, n, length);
        }
        n += length;
        pos += length;
      }
    }
  }

  /** Writes code point {@code cp} as UTF-8 at {@code out[n]} (only counts when out is null). */
  private static int putUtf8(byte[] out, int n, int cp) {
    if (cp < 0x80) {
      if (out != null) {
        out[n] = (byte) cp;
      }
      return n + 1;
    }
    if (cp < 0x800) {
      if (out != null) {
        out[n] = (byte) (0xC0 | (cp >> 6));
        out[n + 1] = (byte) (0x80 | (cp & 0x3F));
      }
      return n + 2;
    }
    if (cp < 0x10000) {
      if (out != null) {
        out[n] = (byte) (0xE0 | (cp >> 12));
        out[n + 1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[n + 2] = (byte) (0x80 | (cp & 0x3F));
      }
      return n + 3;
    }
    if (out != null) {
      out[n] = (byte) (0xF0 | (cp >> 18));
      out[n + 1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
      out[n + 2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
      out[n + 3] = (byte) (0x80 | (cp & 0x3F));
    }
    return n + 4;
  }

  /** Decodes the escape at {@code pos} into {@code chars[n...]}; returns the new length. */
  private int escape(int n) throws JsonParseException {
    int escapeOffset = pos;
    if (pos + 1 >= end) {
      throw error("unterminated string", pos);
    }
    byte e = in[pos + 1];
    pos += 2;
    switch (e) {
      case '"':
        chars[n] = '"';
        return n + 1;
      case '\\':
        chars[n] = '\\';
        return n + 1;
      case '/':
        chars[n] = '/';
        return n + 1;
      case 'b':
        chars[n] = '\b';
        return n + 1;
      case 'f':
        chars[n] = '\f';
        return n + 1;
      case 'n':
        chars[n] = '\n';
        return n + 1;
      case 'r':
        chars[n] = '\r';
        return n + 1;
      case 't':
        chars[n] = '\t';
        return n + 1;
      case 'u':
        break;
      default:
        throw error(
            "invalid escape \\" + (e >= 0x21 && e < 0x7F ? String.valueOf((char) e) : describe(e)),
            escapeOffset);
    }
    char c = (char) hex4(pos);
    pos += 4;
    if (Character.isLowSurrogate(c)) {
      throw error("unpaired surrogate escape", escapeOffset);
    }
    if (Character.isHighSurrogate(c)) {
      // Only a following \\uDC00-\\uDFFF escape completes the pair.
      if (pos + 6 > end || in[pos] != '\\' || in[pos + 1] != 'u') {
        throw error("unpaired surrogate escape", escapeOffset);
      }
      char low = (char) hex4(pos + 2);
      if (!Character.isLowSurrogate(low)) {
        throw error("unpaired surrogate escape", escapeOffset);
      }
      pos += 6;
      chars[n] = c;
      chars[n + 1] = low;
      return n + 2;
    }
    chars[n] = c;
    return n + 1;
  }

  private int hex4(int at) throws JsonParseException {
    if (at + 4 > end) {
      throw error("unterminated \\u escape", at);
    }
    int value = 0;
    for (int i = at; i < at + 4; i++) {
      int d = hexDigit(in[i]);
      if (d < 0) {
        throw error("invalid hex digit " + describe(in[i]) + " in \\u escape", i);
      }
      value = (value << 4) | d;
    }
    return value;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  private JsonNumber number() throws JsonParseException {
    int numberStart = pos;
    boolean integer = skipNumber();
    int length = pos - numberStart;
    boolean negative = in[numberStart] == '-';
    int digitsStart = numberStart;
    if (negative) {
      digitsStart++;
    }
    // Accumulated as a negative number so that Long.MIN_VALUE fits.
    long value = 0;
    boolean fits = integer;
    if (integer) {
      for (int i = digitsStart; i < pos; i++) {
        int d = in[i] - '0';
        if (value < (Long.MIN_VALUE + d) / 10) {
          fits = false;
          break;
        }
        value = value * 10 - d;
      }
    }
    if (!negative && value == Long.MIN_VALUE) {
      fits = false;
    }
    // A number is ASCII: its text goes through the reused buffer, so that the only objects a
    // number leaves are the ones it keeps. A temporary array per number, between the kept
    // objects, splits the free heap into one chunk per number, and TeaVM's collector keeps a
    // record of every chunk in a fixed share of the heap (see wasm-filter/README.md, "Memory
    // budget").
    if (length > chars.length) {
      chars = Arrays.copyOf(chars, length);
    }
    for (int i = 0; i < length; i++) {
      chars[i] = (char) in[numberStart + i];
    }
    String text = new String(chars, 0, length);
    return new JsonNumber(text, fits, fits ? (negative ? value : -value) : 0);
  }

  /**
   * Checks the number at {@code pos} against RFC 8259's grammar and leaves {@code pos} after it;
   * returns whether it is an integer (no fraction, no exponent).
   */
  private boolean skipNumber() throws JsonParseException {
    int numberStart = pos;
    if (in[pos] == '-') {
      pos++;
    }
    if (pos >= end || !isDigit(in[pos])) {
      throw error("expected a digit", pos);
    }
    if (in[pos] == '0') {
      pos++;
      if (pos < end && isDigit(in[pos])) {
        throw error("leading zeros are not allowed", numberStart);
      }
    } else {
      while (pos < end && isDigit(in[pos])) {
        pos++;
      }
    }
    boolean integer = true;
    if (pos < end && in[pos] == '.') {
      integer = false;
      pos++;
      digits("expected a digit after the decimal point");
    }
    if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
      integer = false;
      pos++;
      if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
        pos++;
      }
      digits("expected a digit in the exponent");
    }
    return integer;
  }

  private void digits(String problem) throws JsonParseException {
    if (pos >= end || !isDigit(in[pos])) {
      throw error(problem, pos);
    }
    while (pos < end && isDigit(in[pos])) {
      pos++;
    }
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private void literal(String word) throws JsonParseException {
    int n = word.length();
    for (int i = 0; i < n; i++) {
      if (pos + i >= end || in[pos + i] != word.charAt(i)) {
        throw error("invalid literal, expected " + word, pos);
      }
    }
    pos += n;
  }

  private void expect(char c) throws JsonParseException {
    if (pos >= end) {
      throw error("unexpected end of input, expected '" + c + "'", pos);
    }
    if (in[pos] != c) {
      throw error("unexpected " + describe(in[pos]) + ", expected '" + c + "'", pos);
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonParseException error(String reason, int at) {
    return new JsonParseException(reason, at - start);
  }

  /** A byte for an error message: printable ASCII as {@code 'x'}, anything else as hex. */
  private static String describe(byte b) {
    if (b >= 0x21 && b < 0x7F) {
      return "'" + (char) b + "'";
    }
    return hex("byte 0x", b & 0xFF, 2);
  }

  private static String hex(String prefix, int value, int digits) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append("0123456789ABCDEF".charAt((value >> shift) & 0xF));
    }
    return sb.toString();
  }
}
