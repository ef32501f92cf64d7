package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

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
