package dev.lambdagate.json;

/**
 * Standard Base64 (RFC 4648 section 4: {@code A-Z a-z 0-9 + /}, {@code =} padding).
 *
 * <p>The decoder accepts exactly what {@code java.util.Base64.getDecoder()} accepts: padding may be
 * left out, but padding that is present must be complete and last; any other character, including
 * whitespace and the URL-safe {@code -} and {@code _}, is an error.
 */
public final class Base64Codec {

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  /** Sextet value of each ASCII character, -1 for characters outside the alphabet. */
  private static final byte[] VALUES = new byte[128];

  static {
    for (int i = 0; i < VALUES.length; i++) {
      VALUES[i] = -1;
    }
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
    }
  }

  private Base64Codec() {}

  /** The padded Base64 text of {@code data}. */
  public static String encode(byte[] data) {
    StringBuilder sb = new StringBuilder(encodedLength(data.length));
    encodeTo(sb, data, 0, data.length);
    return sb.toString();
  }

  /** How many characters the padded encoding of {@code byteCount} bytes takes. */
  public static int encodedLength(int byteCount) {
    return (byteCount + 2) / 3 * 4;
  }

  /** Appends the padded Base64 text of {@code data[offset, offset+length)} to {@code out}. */
  public static void encodeTo(StringBuilder out, byte[] data, int offset, int length) {
    int end = offset + length;
    int i = offset;
    for (; i + 2 < end; i += 3) {
      int bits = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
      out.append(ALPHABET[bits >>> 18])
          .append(ALPHABET[(bits >>> 12) & 0x3F])
          .append(ALPHABET[(bits >>> 6) & 0x3F])
          .append(ALPHABET[bits & 0x3F]);
    }
    int rest = end - i;
    if (rest == 1) {
      int bits = (data[i] & 0xFF) << 16;
      out.append(ALPHABET[bits >>> 18]).append(ALPHABET[(bits >>> 12) & 0x3F]).append("==");
    } else if (rest == 2) {
      int bits = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8;
      out.append(ALPHABET[bits >>> 18])
          .append(ALPHABET[(bits >>> 12) & 0x3F])
          .append(ALPHABET[(bits >>> 6) & 0x3F])
          .append('=');
    }
  }

  /** The alphabet as bytes, for encoding straight into a UTF-8 buffer. */
  private static final byte[] ALPHABET_BYTES = new byte[64];

  static {
    for (int i = 0; i < 64; i++) {
      ALPHABET_BYTES[i] = (byte) ALPHABET[i];
    }
  }

  /**
   * Writes the padded Base64 text of {@code data[offset, offset+length)} into {@code out} from
   * {@code outPos} (which must have room for {@link #encodedLength} bytes); returns the position
   * after it.
   */
  public static int encodeTo(byte[] out, int outPos, byte[] data, int offset, int length) {
    int end = offset + length;
    int i = offset;
    int o = outPos;
    for (; i + 2 < end; i += 3) {
      int bits = (data[i] & 0xFF) << 16 | (data[i + 1] & 0xFF) << 8 | (data[i + 2] & 0xFF);
      out[o] = ALPHABET_BYTES[bits >>> 18];
      out[o + 1] = ALPHABET_BYTES[(bits >>> 12) & 0x3F];
      out[o + 2] = ALPHABET_BYTES[(bits >>> 6) & 0x3F];
      out[o + 3] = ALPHABET_BYTES[bits & 0x3F];
      o += 4;
    }
    int rest = end - i;
    if (rest > 0) {
      int bits = (data[i] & 0xFF) << 16 | (rest == 2 ? (data[i + 1] & 0xFF) << 8 : 0);
      out[o++] = ALPHABET_BYTES[bits >>> 18];
      out[o++] = ALPHABET_BYTES[(bits >>> 12) & 0x3F];
      out[o++] = rest == 2 ? ALPHABET_BYTES[(bits >>> 6) & 0x3F] : (byte) '=';
      out[o++] = '=';
    }
    return o;
  }

  /**
   * Decodes Base64 text.
   *
   * @throws IllegalArgumentException when {@code text} is not valid Base64; the message says why
   *     and where, never what the text holds
   */
  public static byte[] decode(String text) {
    // One decoder: the text as bytes, any non-ASCII character as 0xFF (never a Base64
    // character, so it is reported at its own index as invalid).
    int length = text.length();
    byte[] ascii = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      ascii[i] = c < 128 ? (byte) c : (byte) 0xFF;
    }
    return decode(ascii, 0, length);
  }

  /**
   * Decodes Base64 text given as ASCII bytes {@code text[offset, offset+length)} (a large JSON
   * string kept as UTF-8), with the same rules and messages as {@link #decode(String)}.
   */
  public static byte[] decode(byte[] text, int offset, int length) {
    // The data characters end at the first '='; whatever follows must be exact padding.
    int dataEnd = length;
    for (int i = 0; i < length; i++) {
      char c = at(text, offset, i);
      if (c == '=') {
        dataEnd = i;
        break;
      }
      if (c >= 128 || VALUES[c] < 0) {
        throw new IllegalArgumentException("invalid Base64 character at index " + i);
      }
    }
    int tail = dataEnd % 4;
    if (tail == 1) {
      throw new IllegalArgumentException("incomplete Base64: a single character in the last group");
    }
    if (dataEnd < length) {
      int padding = length - dataEnd;
      boolean exact =
          (tail == 2 && padding == 2 && at(text, offset, dataEnd + 1) == '=')
              || (tail == 3 && padding == 1);
      if (!exact) {
        throw new IllegalArgumentException("invalid Base64 padding at index " + dataEnd);
      }
    }
    byte[] out = new byte[dataEnd / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
    int o = 0;
    int i = 0;
    for (; i + 3 < dataEnd; i += 4) {
      int bits =
          VALUES[at(text, offset, i)] << 18
              | VALUES[at(text, offset, i + 1)] << 12
              | VALUES[at(text, offset, i + 2)] << 6
              | VALUES[at(text, offset, i + 3)];
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (tail >= 2) {
      int bits = VALUES[at(text, offset, i)] << 18 | VALUES[at(text, offset, i + 1)] << 12;
      if (tail == 3) {
        bits |= VALUES[at(text, offset, i + 2)] << 6;
      }
      out[o++] = (byte) (bits >> 16);
      if (tail == 3) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  private static char at(byte[] text, int offset, int index) {
    return (char) (text[offset + index] & 0xFF);
  }
}
