package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

  @Test
  void parsesAnObjectKeepingMemberOrder() throws Exception {
    JsonValue v =
        JsonParser.parse(" {\"z\": 1, \"a\": [true, false, null], \"m\": {\"k\": \"v\"}} ");

    assertThat(v).isInstanceOf(JsonObject.class);
    JsonObject o = (JsonObject) v;
    assertThat(o.names()).containsExactly("z", "a", "m");
    assertThat(((JsonNumber) o.get("z")).longValue()).isEqualTo(1);
    JsonArray a = (JsonArray) o.get("a");
    assertThat(a.items()).containsExactly(JsonBoolean.TRUE, JsonBoolean.FALSE, JsonNull.INSTANCE);
    assertThat(((JsonString) ((JsonObject) o.get("m")).get("k")).value()).isEqualTo("v");
    assertThat(o.get("missing")).isNull();
    assertThat(o.has("a")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "-0", "7", "-7", "1234567890", "9223372036854775807", "-9223372036854775808"})
  void integersThatFitInALongCarryTheirValue(String text) throws Exception {
    JsonNumber n = (JsonNumber) JsonParser.parse(text);

    assertThat(n.isLong()).isTrue();
    assertThat(n.longValue()).isEqualTo(Long.parseLong(text));
    assertThat(n.text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.5",
        "-1.25",
        "1e3",
        "1E+3",
        "2.5e-10",
        "200.0",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890"
      })
  void otherNumbersAreKeptAsText(String text) throws Exception {
    JsonNumber n = (JsonNumber) JsonParser.parse(text);

    assertThat(n.isLong()).isFalse();
    assertThat(n.text()).isEqualTo(text);
    assertThatThrownBy(n::longValue).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void isIntTellsWhetherTheValueFitsInAnInt() throws Exception {
    assertThat(((JsonNumber) JsonParser.parse("2147483647")).isInt()).isTrue();
    assertThat(((JsonNumber) JsonParser.parse("2147483648")).isInt()).isFalse();
    assertThat(((JsonNumber) JsonParser.parse("-2147483648")).isInt()).isTrue();
    assertThat(((JsonNumber) JsonParser.parse("1.0")).isInt()).isFalse();
  }

  @Test
  void decodesEveryEscape() throws Exception {
    JsonString s =
        (JsonString)
            JsonParser.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC\"");

    assertThat(s.value()).isEqualTo("\" \\ / \b \f \n \r \t A \u00e9 \u20ac");
  }

  @Test
  void decodesASurrogatePairEscapeIntoOneCodePoint() throws Exception {
    JsonString s = (JsonString) JsonParser.parse("\"\\uD83D\\uDE00\"");

    assertThat(s.value()).isEqualTo("\uD83D\uDE00");
    assertThat(s.value().codePointAt(0)).isEqualTo(0x1F600);
  }

  @Test
  void decodesUtf8OfEveryLength() throws Exception {
    String text = "a\u00e9\u20ac\uD83D\uDE00z";
    JsonString s =
        (JsonString) JsonParser.parse(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));

    assertThat(s.value()).isEqualTo(text);
  }

  @Test
  void acceptsTheFourWhitespaceCharactersAroundTokens() throws Exception {
    JsonValue v = JsonParser.parse(" \t\r\n[ 1 ,\n2\t]\r\n ");

    assertThat(v.toString()).isEqualTo("[1,2]");
  }

  @Test
  void acceptsScalarsAtTheTopLevel() throws Exception {
    assertThat(JsonParser.parse("\"x\"")).isEqualTo(JsonString.of("x"));
    assertThat(JsonParser.parse("null")).isEqualTo(JsonNull.INSTANCE);
    assertThat(JsonParser.parse("true")).isEqualTo(JsonBoolean.TRUE);
  }

  @Test
  void parsesAPartOfABuffer() throws Exception {
    byte[] buffer = "xx[1]yy".getBytes(StandardCharsets.UTF_8);

    assertThat(JsonParser.parse(buffer, 2, 3).toString()).isEqualTo("[1]");
    assertThatThrownBy(() -> JsonParser.parse(buffer, 2, 4))
        .isInstanceOf(JsonParseException.class)
        .hasMessage("unexpected 'y' after the JSON value at offset 3");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``|unexpected end of input, expected a value|0",
        "`   `|unexpected end of input, expected a value|3",
        "`{} x`|unexpected 'x' after the JSON value|3",
        "`[1]]`|unexpected ']' after the JSON value|3",
        "`01`|leading zeros are not allowed|0",
        "`-01`|leading zeros are not allowed|0",
        "`+1`|unexpected '+', expected a value|0",
        "`.5`|unexpected '.', expected a value|0",
        "`1.`|expected a digit after the decimal point|2",
        "`1.e5`|expected a digit after the decimal point|2",
        "`1e`|expected a digit in the exponent|2",
        "`1e+`|expected a digit in the exponent|3",
        "`-`|expected a digit|1",
        "`-a`|expected a digit|1",
        "`[1,]`|unexpected ']', expected a value|3",
        "`[1 2]`|unexpected '2', expected ',' or ']'|3",
        "`{\"a\":1,}`|unexpected '}', expected a member name|7",
        "`{\"a\" 1}`|unexpected '1', expected ':'|5",
        "`{a:1}`|unexpected 'a', expected a member name|1",
        "`{\"a\":1 \"b\":2}`|unexpected '\"', expected ',' or '}'|7",
        "`{\"a\":1,\"a\":2}`|duplicate member name \"a\"|7",
        "`[tru]`|invalid literal, expected true|1",
        "`nul`|invalid literal, expected null|0",
        "`True`|unexpected 'T', expected a value|0",
        "`NaN`|unexpected 'N', expected a value|0",
        "`\"abc`|unterminated string|0",
        "`\"a\\x\"`|invalid escape \\x|2",
        "`\"\\u12G4\"`|invalid hex digit 'G' in \\u escape|5",
        "`\"\\u12\"`|unterminated \\u escape|3",
        "`\"\\uD83D\"`|unpaired surrogate escape|1",
        "`\"\\uD83Dx\"`|unpaired surrogate escape|1",
        "`\"\\uD83D\\u0041\"`|unpaired surrogate escape|1",
        "`\"\\uDE00\"`|unpaired surrogate escape|1",
        "`[1] // comment`|unexpected '/' after the JSON value|4",
        "`{\"a\":[}`|unexpected '}', expected a value|6",
        "`[`|unexpected end of input, expected a value|1",
        "`{`|unexpected end of input, expected a member name|1",
        "`{\"a\"`|unexpected end of input, expected ':'|4",
      })
  void rejectsInvalidJsonWithTheOffsetOfTheProblem(String text, String reason, int offset) {
    assertThatThrownBy(() -> JsonParser.parse(text))
        .isInstanceOfSatisfying(
            JsonParseException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.offset()).isEqualTo(offset);
              assertThat(e.getMessage()).isEqualTo(reason + " at offset " + offset);
            });
  }

  @Test
  void rejectsControlCharactersInStrings() {
    for (char c = 0; c < 0x20; c++) {
      String text = "\"a" + c + "\"";
      assertThatThrownBy(() -> JsonParser.parse(text))
          .isInstanceOf(JsonParseException.class)
          .hasMessageStartingWith("unescaped control character U+00")
          .hasMessageEndingWith(" in string at offset 2");
    }
  }

  @Test
  void rejectsWhitespaceThatJsonDoesNotAllow() {
    assertThatThrownBy(() -> JsonParser.parse("\u000b1"))
        .hasMessage("unexpected byte 0x0B, expected a value at offset 0");
    assertThatThrownBy(() -> JsonParser.parse("[1,\u00a02]"))
        .hasMessage("unexpected byte 0xC2, expected a value at offset 3");
  }

  @Test
  void rejectsAByteOrderMark() {
    byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'};

    assertThatThrownBy(() -> JsonParser.parse(withBom))
        .hasMessage("unexpected byte 0xEF, expected a value at offset 0");
  }

  @Test
  void rejectsMalformedUtf8InStrings() {
    byte[][] malformed = {
      {'"', (byte) 0x80, '"'}, // lone continuation byte
      {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
      {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}, // overlong 3-byte
      {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // encoded surrogate U+D800
      {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
      {'"', (byte) 0xE2, (byte) 0x82, '"'}, // truncated
      {'"', 'a', (byte) 0xFF, '"'},
    };
    for (byte[] bytes : malformed) {
      assertThatThrownBy(() -> JsonParser.parse(bytes))
          .isInstanceOf(JsonParseException.class)
          .hasMessageStartingWith("malformed UTF-8 at offset ");
    }
  }

  @Test
  void limitsNesting() throws Exception {
    String ok = "[".repeat(JsonParser.MAX_DEPTH) + "]".repeat(JsonParser.MAX_DEPTH);
    assertThat(JsonParser.parse(ok)).isInstanceOf(JsonArray.class);

    String tooDeep = "[".repeat(JsonParser.MAX_DEPTH + 1) + "]".repeat(JsonParser.MAX_DEPTH + 1);
    assertThatThrownBy(() -> JsonParser.parse(tooDeep))
        .hasMessage("nesting deeper than 512 levels at offset 512");

    String deepObjects = "{\"a\":".repeat(100_000);
    assertThatThrownBy(() -> JsonParser.parse(deepObjects))
        .hasMessageStartingWith("nesting deeper than 512 levels");
  }

  @Test
  void reportsErrorOffsetsInUtf8Bytes() {
    // "\u00e9" is two UTF-8 bytes, so the bad escape after it is at byte 3 (character 2).
    assertThatThrownBy(() -> JsonParser.parse("\"\u00e9\\q\""))
        .isInstanceOfSatisfying(JsonParseException.class, e -> assertThat(e.offset()).isEqualTo(3));
  }

  @Test
  void parsesLongStringsBeyondTheScratchBuffer() throws Exception {
    String longText = "x\u00e9\uD83D\uDE00".repeat(10_000);
    JsonString s = (JsonString) JsonParser.parse(JsonWriter.quote(longText));

    assertThat(s.value()).isEqualTo(longText);
  }

  @Test
  void parsesManyMembers() throws Exception {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      parts.add("\"k" + i + "\":" + i);
    }
    JsonObject o = (JsonObject) JsonParser.parse("{" + String.join(",", parts) + "}");

    assertThat(o.size()).isEqualTo(1000);
    assertThat(o.names()).first().isEqualTo("k0");
    assertThat(((JsonNumber) o.get("k999")).longValue()).isEqualTo(999);
  }
}
