package dev.lambdagate.json;

/**
 * Strict UTF-8 checks (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF.
 * Used by the parser, by the writer when it copies UTF-8 bytes into a JSON string, and by callers
 * deciding whether a body can travel as text.
 */
public final class Utf8 {

  private Utf8() {}

  /**
   * The length (1 to 4) of the well-formed UTF-8 sequence that starts at {@code bytes[index]}, or 0
   * when the bytes there are not well-formed UTF-8 (including a sequence cut off by {@code end}).
   */
  public static int sequenceLength(byte[] bytes, int index, int end) {
    int b0 = bytes[index] & 0xFF;
    if (b0 < 0x80) {
      return 1;
    }
    if (b0 < 0xC2) {
      return 0; // continuation byte, or the overlong lead bytes C0 and C1
    }
    if (b0 < 0xE0) {
      return index + 1 < end && isContinuation(bytes[index + 1]) ? 2 : 0;
    }
    if (b0 < 0xF0) {
      if (index + 2 >= end) {
        return 0;
      }
      int b1 = bytes[index + 1] & 0xFF;
      // E0 needs A0..BF (else overlong); ED needs 80..9F (else a surrogate).
      int min = b0 == 0xE0 ? 0xA0 : 0x80;
      int max = b0 == 0xED ? 0x9F : 0xBF;
      if (b1 < min || b1 > max || !isContinuation(bytes[index + 2])) {
        return 0;
      }
      return 3;
    }
    if (b0 < 0xF5) {
      if (index + 3 >= end) {
        return 0;
      }
      int b1 = bytes[index + 1] & 0xFF;
      // F0 needs 90..BF (else overlong); F4 needs 80..8F (else above U+10FFFF).
      int min = b0 == 0xF0 ? 0x90 : 0x80;
      int max = b0 == 0xF4 ? 0x8F : 0xBF;
      if (b1 < min
          || b1 > max
          || !isContinuation(bytes[index + 2])
          || !isContinuation(bytes[index + 3])) {
        return 0;
      }
      return 4;
    }
    return 0;
  }

  /**
   * The code point of the well-formed sequence of {@code length} bytes at {@code index}, as
   * returned by {@link #sequenceLength}.
   */
  public static int decode(byte[] bytes, int index, int length) {
    switch (length) {
      case 1:
        return bytes[index];
      case 2:
        return ((bytes[index] & 0x1F) << 6) | (bytes[index + 1] & 0x3F);
      case 3:
        return ((bytes[index] & 0x0F) << 12)
            | ((bytes[index + 1] & 0x3F) << 6)
            | (bytes[index + 2] & 0x3F);
      case 4:
        return ((bytes[index] & 0x07) << 18)
            | ((bytes[index + 1] & 0x3F) << 12)
            | ((bytes[index + 2] & 0x3F) << 6)
            | (bytes[index + 3] & 0x3F);
      default:
        throw new IllegalArgumentException("not a UTF-8 sequence length: " + length);
    }
  }

  /**
   * The UTF-8 bytes of {@code text}, as {@code text.getBytes(StandardCharsets.UTF_8)} gives them
   * (an unpaired surrogate becomes {@code '?'}), without the JDK's charset encoder: in the Wasm
   * build that machinery (CharBuffer, CharsetEncoder, a copy per call) costs more than the encoding
   * itself and adds to the module.
   */
  public static byte[] encode(String text) {
    // One copy out of the string, then plain array loops: cheaper in TeaVM's Wasm than a
    // charAt call (and its bounds check) per character. ASCII, the usual case, is one pass.
    char[] chars = text.toCharArray();
    int n = chars.length;
    byte[] ascii = new byte[n];
    int i = 0;
    while (i < n) {
      char c = chars[i];
      if (c >= 0x80) {
        break;
      }
      ascii[i++] = (byte) c;
    }
    if (i == n) {
      return ascii;
    }
    int size = i;
    for (int k = i; k < n; k++) {
      char c = chars[k];
      if (c < 0x80) {
        size++;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c)
          && k + 1 < n
          && Character.isLowSurrogate(chars[k + 1])) {
        size += 4;
        k++;
      } else if (Character.isSurrogate(c)) {
        size++;
      } else {
        size += 3;
      }
    }
    byte[] out = new byte[size];
    System.arraycopy(ascii, 0, out, 0, i);
    int j = i;
    for (; i < n; i++) {
      char c = chars[i];
      if (c < 0x80) {
        out[j++] = (byte) c;
      } else if (c < 0x800) {
        out[j++] = (byte) (0xC0 | (c >> 6));
        out[j++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(chars[i + 1])) {
        int cp = Character.toCodePoint(c, chars[++i]);
        out[j++] = (byte) (0xF0 | (cp >> 18));
        out[j++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[j++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[j++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[j++] = '?';
      } else {
        out[j++] = (byte) (0xE0 | (c >> 12));
        out[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[j++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return out;
  }

  /** How many bytes {@link #encode} makes of {@code text}; allocates nothing. */
  public static int encodedLength(String text) {
    int n = text.length();
    int size = 0;
    for (int k = 0; k < n; k++) {
      char c = text.charAt(k);
      if (c < 0x80) {
        size++;
      } else if (c < 0x800) {
        size += 2;
      } else if (Character.isHighSurrogate(c)
          && k + 1 < n
          && Character.isLowSurrogate(text.charAt(k + 1))) {
        size += 4;
        k++;
      } else if (Character.isSurrogate(c)) {
        size++;
      } else {
        size += 3;
      }
    }
    return size;
  }

  /**
   * Writes the bytes {@link #encode} makes of {@code text} into {@code out} from {@code offset}
   * (which must have room for {@link #encodedLength}) and returns the offset after them; allocates
   * nothing.
   */
  public static int encodeInto(String text, byte[] out, int offset) {
    int n = text.length();
    int j = offset;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[j++] = (byte) c;
      } else if (c < 0x800) {
        out[j++] = (byte) (0xC0 | (c >> 6));
        out[j++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[j++] = (byte) (0xF0 | (cp >> 18));
        out[j++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[j++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[j++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        out[j++] = '?';
      } else {
        out[j++] = (byte) (0xE0 | (c >> 12));
        out[j++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[j++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return j;
  }

  /**
   * {@code length} bytes of UTF-8 from {@code offset} as a string. Well-formed input is decoded
   * here; anything else goes to the JDK decoder, so malformed sequences become U+FFFD exactly as
   * {@code new String(bytes, offset, length, StandardCharsets.UTF_8)} makes them.
   */
  public static String decodeString(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset > bytes.length - length) {
      throw new IndexOutOfBoundsException(
          "offset=" + offset + " length=" + length + " size=" + bytes.length);
    }
    char[] chars = new char[length];
    int n = 0;
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = bytes[i];
      if (b >= 0) {
        chars[n++] = (char) b;
        i++;
        continue;
      }
      int len = sequenceLength(bytes, i, end);
      if (len == 0) {
        return new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8);
      }
      int cp = decode(bytes, i, len);
      if (cp >= 0x10000) {
        chars[n++] = Character.highSurrogate(cp);
        chars[n++] = Character.lowSurrogate(cp);
      } else {
        chars[n++] = (char) cp;
      }
      i += len;
    }
    return new String(chars, 0, n);
  }

  /** Whether all of {@code bytes} is well-formed UTF-8. */
  public static boolean isValid(byte[] bytes) {
    return isValid(bytes, 0, bytes.length);
  }

  /** Whether {@code bytes[offset, offset + length)} is well-formed UTF-8. */
  public static boolean isValid(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (bytes[i] >= 0) {
        i++;
        continue;
      }
      int n = sequenceLength(bytes, i, end);
      if (n == 0) {
        return false;
      }
      i += n;
    }
    return true;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
