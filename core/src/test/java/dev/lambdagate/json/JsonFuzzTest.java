package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the filter's JSON parser and writer (see docs/fuzzing: {@code make test} replays the
 * committed inputs under {@code JsonFuzzTestInputs/} and fuzzes each target briefly, {@code make
 * fuzz} fuzzes longer).
 *
 * <p>Properties: the parser either returns a value or throws {@link JsonParseException} (with an
 * offset inside the input), nothing else; whatever it accepts, the writer writes back as text the
 * parser reads as the same value, and writing that again gives the same bytes; any string the
 * writer quotes is read back as itself (an unpaired surrogate as '?', which is what the UTF-8
 * encoder writes for it).
 */
@Timeout(10) // seconds per input: a parser must not hang
class JsonFuzzTest {

  @FuzzTest
  void parseThenWriteRoundTrips(byte[] input) throws JsonParseException {
    JsonValue value;
    try {
      value = JsonParser.parse(input);
    } catch (JsonParseException e) {
      assertThat(e.offset()).isBetween(0, input.length);
      return;
    }
    byte[] written = new JsonWriter().value(value).toUtf8();
    JsonValue reread = JsonParser.parse(written);
    assertThat(reread).isEqualTo(value);
    assertThat(new JsonWriter().value(reread).toUtf8()).isEqualTo(written);
  }

  /**
   * {@link JsonParser#parseMembers} builds the named members exactly as {@code parse} does and
   * refuses what {@code parse} refuses, with the same reason and offset (duplicate names outside
   * the named members aside: nothing reads them).
   */
  @FuzzTest
  void parseMembersAgreesWithParse(byte[] input) throws JsonParseException {
    String[] names = {"a", "statusCode", "headers", "body"};
    JsonValue whole;
    try {
      whole = JsonParser.parse(input);
    } catch (JsonParseException e) {
      if (!e.reason().startsWith("duplicate member name")) {
        assertThatThrownBy(() -> JsonParser.parseMembers(input, 0, input.length, names))
            .isInstanceOf(JsonParseException.class)
            .hasMessage(e.getMessage());
      }
      return;
    }
    JsonObject selected = JsonParser.parseMembers(input, 0, input.length, names);
    if (whole.type() != JsonType.OBJECT) {
      assertThat(selected).isNull();
      return;
    }
    for (String name : names) {
      assertThat(selected.get(name)).isEqualTo(((JsonObject) whole).get(name));
    }
  }

  @FuzzTest
  void quotedStringsReadBackAsThemselves(FuzzedDataProvider data) throws JsonParseException {
    String name = data.consumeString(64);
    String text = data.consumeRemainingAsString();
    byte[] written = new JsonWriter().beginObject().name(name).value(text).endObject().toUtf8();
    JsonValue parsed = JsonParser.parse(written);
    // What the text is as UTF-8: an unpaired surrogate has no UTF-8 form and is written as '?',
    // as the JDK's encoder writes it (Utf8Test checks Utf8 against the JDK).
    String expectedName = new String(Utf8.encode(name), StandardCharsets.UTF_8);
    String expectedText = new String(Utf8.encode(text), StandardCharsets.UTF_8);
    assertThat(parsed).isInstanceOf(JsonObject.class);
    JsonObject object = (JsonObject) parsed;
    assertThat(object.size()).isEqualTo(1);
    assertThat(((JsonString) object.get(expectedName)).value()).isEqualTo(expectedText);
  }
}
