package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UriEncodingTest {
  private static final String UNRESERVED =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @Test
  void unreservedCharactersAreKeptAsIs() {
    assertThat(UriEncoding.encode(UNRESERVED, false)).isSameAs(UNRESERVED);
    assertThat(UriEncoding.canonical(UNRESERVED, false)).isEqualTo(UNRESERVED);
  }

  @Test
  void everyOtherAsciiCharacterIsEscapedInUpperCaseHex() {
    for (char c = 0; c < 0x80; c++) {
      String s = String.valueOf(c);
      String expected = UNRESERVED.indexOf(c) >= 0 ? s : String.format("%%%02X", (int) c);
      assertThat(UriEncoding.encode(s, false)).as("char %d", (int) c).isEqualTo(expected);
    }
  }

  @Test
  void spaceIsPercentTwentyAndPlusIsALiteralPlus() {
    assertThat(UriEncoding.encode("a b+c", false)).isEqualTo("a%20b%2Bc");
    assertThat(UriEncoding.canonical("a b+c", false)).isEqualTo("a%20b%2Bc");
  }

  @Test
  void slashIsKeptOnlyWhenAsked() {
    assertThat(UriEncoding.encode("/a/b", true)).isEqualTo("/a/b");
    assertThat(UriEncoding.encode("/a/b", false)).isEqualTo("%2Fa%2Fb");
  }

  @Test
  void nonAsciiIsEncodedAsUtf8Bytes() {
    assertThat(UriEncoding.encode("\u1234", false)).isEqualTo("%E1%88%B4");
    assertThat(UriEncoding.encode("\u00e9", false)).isEqualTo("%C3%A9");
    assertThat(UriEncoding.encode("\ud83d\ude00", false)).isEqualTo("%F0%9F%98%80");
  }

  @Test
  void unpairedSurrogatesBecomeReplacementCharacter() {
    assertThat(UriEncoding.encode("a\ud83db", false)).isEqualTo("a%EF%BF%BDb");
    assertThat(UriEncoding.encode("\ude00", false)).isEqualTo("%EF%BF%BD");
  }

  @Test
  void encodeEncodesExistingEscapesAgain() {
    // The second encoding of the non-S3 canonical URI.
    assertThat(UriEncoding.encode("/example%20space/", true)).isEqualTo("/example%2520space/");
    assertThat(UriEncoding.encode("arn%3Aaws%3Alambda", true)).isEqualTo("arn%253Aaws%253Alambda");
  }

  @Test
  void canonicalKeepsValidEscapesAndEncodesWhatWasNotEscaped() {
    assertThat(UriEncoding.canonical("%E1%88%B4=x", false)).isEqualTo("%E1%88%B4%3Dx");
    assertThat(UriEncoding.canonical("%e1%88%b4", false)).isEqualTo("%E1%88%B4");
    assertThat(UriEncoding.canonical("a$b", false)).isEqualTo("a%24b");
    assertThat(UriEncoding.canonical("a%24b", false)).isEqualTo("a%24b");
    // An escaped unreserved character is the character itself.
    assertThat(UriEncoding.canonical("%7e%41%2D", false)).isEqualTo("~A-");
    // A '%' that starts no escape is a literal percent sign.
    assertThat(UriEncoding.canonical("100%", false)).isEqualTo("100%25");
    assertThat(UriEncoding.canonical("%zz%4", false)).isEqualTo("%25zz%254");
    // '+' on the wire is a plus, not a space.
    assertThat(UriEncoding.canonical("a+b%20c", false)).isEqualTo("a%2Bb%20c");
  }

  @Test
  void canonicalWithKeptSlashKeepsAnEscapedSlashEscaped() {
    assertThat(UriEncoding.canonical("/a%2Fb/c", true)).isEqualTo("/a%2Fb/c");
    assertThat(UriEncoding.canonical("/a%2fb/c", true)).isEqualTo("/a%2Fb/c");
  }

  @Test
  void randomTextMatchesTheJdkFormEncoderAdjustedToRfc3986() {
    SplittableRandom random = new SplittableRandom(3986);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(12);
      for (int k = 0; k < length; k++) {
        int kind = random.nextInt(4);
        if (kind == 0) {
          s.append((char) random.nextInt(0x20, 0x7f));
        } else if (kind == 1) {
          s.append((char) random.nextInt(0x80, 0xd800));
        } else if (kind == 2) {
          s.appendCodePoint(random.nextInt(0x10000, 0x110000));
        } else {
          s.append(UNRESERVED.charAt(random.nextInt(UNRESERVED.length())));
        }
      }
      String text = s.toString();
      // URLEncoder is application/x-www-form-urlencoded: '+' for space, '*' kept, '~' escaped.
      String oracle =
          URLEncoder.encode(text, StandardCharsets.UTF_8)
              .replace("+", "%20")
              .replace("*", "%2A")
              .replace("%7E", "~");
      assertThat(UriEncoding.encode(text, false)).as("encode %s", text).isEqualTo(oracle);
      // Once encoded, canonical() leaves it unchanged; unencoded, it encodes it the same way
      // unless the text itself contains something that reads as an escape.
      assertThat(UriEncoding.canonical(oracle, false)).isEqualTo(oracle);
      if (text.indexOf('%') < 0) {
        assertThat(UriEncoding.canonical(text, false)).isEqualTo(oracle);
      }
    }
  }
}
