package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes SigV4's URI encoding against the JDK: {@link UriEncoding#encode} must equal {@link
 * URLEncoder} (UTF-8) with its form-encoding quirks undone ({@code +} for space, {@code *} kept,
 * {@code ~} escaped) and {@code /} kept when asked; {@link UriEncoding#canonical} must write only
 * unreserved characters, kept slashes and upper-case escapes, be idempotent, stand for the same
 * bytes as the input when the input is validly escaped, and equal {@code encode} for text without
 * {@code %}.
 */
@Timeout(10) // seconds per input: a parser must not hang
class UriEncodingFuzzTest {

  @FuzzTest
  void encodeMatchesTheJdk(FuzzedDataProvider data) {
    boolean keepSlash = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    assertThat(UriEncoding.encode(text, keepSlash)).isEqualTo(jdkEncode(text, keepSlash));
  }

  @FuzzTest
  void canonicalIsSingleEncoded(FuzzedDataProvider data) {
    boolean keepSlash = data.consumeBoolean();
    String text = data.consumeRemainingAsString();
    String canonical = UriEncoding.canonical(text, keepSlash);
    // Checked by a loop: a regex with an alternation group overflows the stack on long text.
    assertThat(isSingleEncoded(canonical, keepSlash)).as(canonical).isTrue();
    assertThat(UriEncoding.canonical(canonical, keepSlash)).isEqualTo(canonical);
    if (text.indexOf('%') < 0) {
      assertThat(canonical).isEqualTo(UriEncoding.encode(text, keepSlash));
    } else if (isValidlyEscaped(text)) {
      assertThat(bytesOf(canonical)).isEqualTo(bytesOf(text));
    }
  }

  /** The JDK's form encoder turned into RFC 3986 encoding of UTF-8 bytes. */
  static String jdkEncode(String text, boolean keepSlash) {
    // URLEncoder writes an unpaired surrogate as '?'; UriEncoding, as U+FFFD (documented).
    String encoded =
        URLEncoder.encode(replaceUnpairedSurrogates(text), StandardCharsets.UTF_8)
            .replace("+", "%20")
            .replace("*", "%2A")
            .replace("%7E", "~");
    return keepSlash ? encoded.replace("%2F", "/") : encoded;
  }

  static String replaceUnpairedSurrogates(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether every {@code %} starts a valid escape and the text has no '+' (a form space). */
  static boolean isValidlyEscaped(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '+') {
        return false;
      }
      if (text.charAt(i) == '%') {
        // RFC 3986 HEXDIG is ASCII: Character.digit would also take e.g. U+06F5 for a 5.
        if (i + 2 >= text.length()
            || !isAsciiHex(text.charAt(i + 1))
            || !isAsciiHex(text.charAt(i + 2))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Only unreserved characters, '/' when kept, and escapes with upper-case hex. */
  static boolean isSingleEncoded(String text, boolean keepSlash) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || !isUpperHex(text.charAt(i + 1))
            || !isUpperHex(text.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (!(UriEncoding.isUnreserved(c) || (keepSlash && c == '/'))) {
        return false;
      }
    }
    return true;
  }

  static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }

  static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The bytes a validly escaped text stands for: escapes decoded, other characters as UTF-8. */
  static byte[] bytesOf(String text) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    String s = replaceUnpairedSurrogates(text);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        if (Character.isSupplementaryCodePoint(cp)) {
          i++;
        }
      }
    }
    return out.toByteArray();
  }
}
