package dev.lambdagate.sigv4;

/**
 * SigV4's URI encoding: every byte of the UTF-8 form of the text is written as {@code %XY}
 * (upper-case hex) except the RFC 3986 unreserved characters {@code A-Z a-z 0-9 - . _ ~}, and
 * except {@code /} where the caller keeps it (path encoding). Space is {@code %20}, never {@code
 * +}. Stateless, hence thread-safe.
 *
 * <p>The signer sees paths and queries as they arrived on the wire, that is already percent-encoded
 * once. The two operations here cover the two ways SigV4 wants such text:
 *
 * <ul>
 *   <li>{@link #appendEncoded} encodes the text as it stands, so an existing {@code %20} becomes
 *       {@code %2520}: the "encode each path segment twice" rule that every service but S3 applies
 *       to the canonical URI.
 *   <li>{@link #appendCanonical} reads existing valid escapes as the bytes they stand for and
 *       writes every byte in its single-encoded form: what query keys and values, and S3 paths,
 *       need whether the client escaped a character or not ({@code $} and {@code %24} both give
 *       {@code %24}; {@code %7e} gives {@code ~}). A {@code +} is a literal plus ({@code %2B}):
 *       SigV4 does not read {@code +} as a form-encoded space.
 * </ul>
 *
 * <p>Unpaired UTF-16 surrogates, which no UTF-8 text can contain, are encoded as U+FFFD.
 */
public final class UriEncoding {
  private static final char[] UPPER_HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'
  };

  private UriEncoding() {}

  /** True for the RFC 3986 unreserved characters, which SigV4 never encodes. */
  public static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /**
   * {@code text} encoded as by {@link #appendEncoded}; {@code text} itself when nothing changes.
   */
  public static String encode(String text, boolean keepSlash) {
    int n = text.length();
    int i = 0;
    while (i < n && keeps(text.charAt(i), keepSlash)) {
      i++;
    }
    if (i == n) {
      return text;
    }
    StringBuilder out = new StringBuilder(n + 16);
    out.append(text, 0, i);
    appendEncoded(out, text, i, n, keepSlash);
    return out.toString();
  }

  /** {@code text} in canonical single-encoded form, as by {@link #appendCanonical}. */
  public static String canonical(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    appendCanonical(out, text, 0, text.length(), keepSlash);
    return out.toString();
  }

  /**
   * Appends {@code text[from, to)} URI-encoded: each UTF-8 byte that is not unreserved (nor {@code
   * /}, if {@code keepSlash}) becomes {@code %XY}. A {@code %} is encoded like any other byte, so
   * this is the second encoding of already-encoded text.
   */
  public static void appendEncoded(
      StringBuilder out, CharSequence text, int from, int to, boolean keepSlash) {
    int i = from;
    while (i < to) {
      i = appendChar(out, text, i, to, keepSlash);
    }
  }

  /**
   * Appends {@code text[from, to)}, already percent-encoded, in canonical single-encoded form: a
   * valid escape {@code %XY} stands for its byte, which is written as itself when unreserved and as
   * {@code %XY} (upper-case hex) otherwise; any other character is encoded as by {@link
   * #appendEncoded}, including a {@code %} that starts no valid escape. With {@code keepSlash}, a
   * literal {@code /} is kept but an escaped one ({@code %2F}) stays escaped, so segment boundaries
   * never move.
   */
  public static void appendCanonical(
      StringBuilder out, CharSequence text, int from, int to, boolean keepSlash) {
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < to) {
        int high = hexValue(text.charAt(i + 1));
        int low = hexValue(text.charAt(i + 2));
        if (high >= 0 && low >= 0) {
          int b = (high << 4) | low;
          if (isUnreserved(b)) {
            out.append((char) b);
          } else {
            appendEscape(out, b);
          }
          i += 3;
          continue;
        }
      }
      i = appendChar(out, text, i, to, keepSlash);
    }
  }

  /**
   * Writes {@code text[from, to)} encoded as by {@link #appendEncoded}, as ASCII bytes, into {@code
   * out} from {@code p} and returns the index after them. {@code out} needs room for 12 bytes per
   * character (the most one character can become). Allocates nothing.
   */
  static int encodeInto(CharSequence text, int from, int to, boolean keepSlash, byte[] out, int p) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
          out[p++] = (byte) c;
        } else {
          p = escapeInto(c, out, p);
        }
        continue;
      }
      int codePoint = c;
      if (Character.isHighSurrogate(c)
          && i + 1 < to
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        codePoint = Character.toCodePoint(c, text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        codePoint = 0xFFFD;
      }
      p = escapeCodePointInto(codePoint, out, p);
    }
    return p;
  }

  /**
   * Writes {@code text[from, to)} in canonical single-encoded form, as by {@link #appendCanonical},
   * as ASCII bytes into {@code out} from {@code p}; returns the index after them. {@code out} needs
   * room for 12 bytes per character. Allocates nothing.
   */
  static int canonicalInto(
      CharSequence text, int from, int to, boolean keepSlash, byte[] out, int p) {
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < to) {
        int high = hexValue(text.charAt(i + 1));
        int low = hexValue(text.charAt(i + 2));
        if (high >= 0 && low >= 0) {
          int b = (high << 4) | low;
          if (isUnreserved(b)) {
            out[p++] = (byte) b;
          } else {
            p = escapeInto(b, out, p);
          }
          i += 3;
          continue;
        }
      }
      int next = i + 1;
      if (c < 0x80) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
          out[p++] = (byte) c;
        } else {
          p = escapeInto(c, out, p);
        }
      } else {
        int codePoint = c;
        if (Character.isHighSurrogate(c)
            && next < to
            && Character.isLowSurrogate(text.charAt(next))) {
          codePoint = Character.toCodePoint(c, text.charAt(next));
          next++;
        } else if (Character.isSurrogate(c)) {
          codePoint = 0xFFFD;
        }
        p = escapeCodePointInto(codePoint, out, p);
      }
      i = next;
    }
    return p;
  }

  private static int escapeCodePointInto(int codePoint, byte[] out, int p) {
    if (codePoint < 0x800) {
      p = escapeInto(0xC0 | (codePoint >> 6), out, p);
    } else if (codePoint < 0x10000) {
      p = escapeInto(0xE0 | (codePoint >> 12), out, p);
      p = escapeInto(0x80 | ((codePoint >> 6) & 0x3F), out, p);
    } else {
      p = escapeInto(0xF0 | (codePoint >> 18), out, p);
      p = escapeInto(0x80 | ((codePoint >> 12) & 0x3F), out, p);
      p = escapeInto(0x80 | ((codePoint >> 6) & 0x3F), out, p);
    }
    return escapeInto(0x80 | (codePoint & 0x3F), out, p);
  }

  private static int escapeInto(int b, byte[] out, int p) {
    out[p] = '%';
    out[p + 1] = (byte) UPPER_HEX[(b >> 4) & 0xF];
    out[p + 2] = (byte) UPPER_HEX[b & 0xF];
    return p + 3;
  }

  private static boolean keeps(char c, boolean keepSlash) {
    return isUnreserved(c) || (keepSlash && c == '/');
  }

  /** Appends the character (or surrogate pair) at {@code i}; returns the index after it. */
  private static int appendChar(
      StringBuilder out, CharSequence text, int i, int to, boolean keepSlash) {
    char c = text.charAt(i);
    if (c < 0x80) {
      if (keeps(c, keepSlash)) {
        out.append(c);
      } else {
        appendEscape(out, c);
      }
      return i + 1;
    }
    int next = i + 1;
    int codePoint = c;
    if (Character.isHighSurrogate(c) && next < to && Character.isLowSurrogate(text.charAt(next))) {
      codePoint = Character.toCodePoint(c, text.charAt(next));
      next++;
    } else if (Character.isSurrogate(c)) {
      codePoint = 0xFFFD;
    }
    if (codePoint < 0x800) {
      appendEscape(out, 0xC0 | (codePoint >> 6));
    } else if (codePoint < 0x10000) {
      appendEscape(out, 0xE0 | (codePoint >> 12));
      appendEscape(out, 0x80 | ((codePoint >> 6) & 0x3F));
    } else {
      appendEscape(out, 0xF0 | (codePoint >> 18));
      appendEscape(out, 0x80 | ((codePoint >> 12) & 0x3F));
      appendEscape(out, 0x80 | ((codePoint >> 6) & 0x3F));
    }
    appendEscape(out, 0x80 | (codePoint & 0x3F));
    return next;
  }

  private static void appendEscape(StringBuilder out, int b) {
    out.append('%').append(UPPER_HEX[(b >> 4) & 0xF]).append(UPPER_HEX[b & 0xF]);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
