package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void writesNestedStructuresCompactly() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("s")
            .value("x")
            .name("n")
            .value(-42L)
            .name("b")
            .value(true)
            .name("z")
            .nullValue()
            .name("nothing")
            .value((String) null)
            .name("a")
            .beginArray()
            .value(1L)
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .endArray()
            .endObject()
            .toString();

    assertThat(json)
        .isEqualTo(
            "{\"s\":\"x\",\"n\":-42,\"b\":true,\"z\":null,\"nothing\":null,\"a\":[1,{},[]]}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(JsonWriter.quote("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
    assertThat(JsonWriter.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(JsonWriter.quote("\u0000\u0001\u001f\u007f"))
        .isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
  }

  @Test
  void escapesLineAndParagraphSeparators() {
    assertThat(JsonWriter.quote("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
  }

  @Test
  void passesNonAsciiThroughAsUtf8() {
    byte[] utf8 = new JsonWriter().value("\u00e9\u20ac\uD83D\uDE00").toUtf8();

    assertThat(utf8).isEqualTo("\"\u00e9\u20ac\uD83D\uDE00\"".getBytes(StandardCharsets.UTF_8));
    assertThat(utf8).hasSize(1 + 2 + 3 + 4 + 1);
  }

  @Test
  void replacesUnpairedSurrogatesWhichHaveNoUtf8Form() {
    assertThat(JsonWriter.quote("a\uD83Db")).isEqualTo("\"a\uFFFDb\"");
    assertThat(JsonWriter.quote("a\uDE00")).isEqualTo("\"a\uFFFD\"");
    assertThat(JsonWriter.quote("\uD83D")).isEqualTo("\"\uFFFD\"");
  }

  @Test
  void writesUtf8BytesAsAnEscapedString() {
    byte[] body = "{\"k\":\"\u00e9\u20ac\uD83D\uDE00\"}\n".getBytes(StandardCharsets.UTF_8);

    String json =
        new JsonWriter().beginArray().valueFromUtf8(body, 0, body.length).endArray().toString();

    assertThat(json).isEqualTo("[\"{\\\"k\\\":\\\"\u00e9\u20ac\uD83D\uDE00\\\"}\\n\"]");
  }

  @Test
  void writesMalformedUtf8BytesAsReplacementCharacters() {
    byte[] bytes = {'a', (byte) 0xFF, 'b', (byte) 0xE2, (byte) 0x82};

    assertThat(new JsonWriter().valueFromUtf8(bytes, 0, bytes.length).toString())
        .isEqualTo("\"a\uFFFDb\uFFFD\uFFFD\"");
  }

  @Test
  void writesBytesAsBase64() {
    byte[] bytes = {0, 1, 2, (byte) 0xFF, 'x'};

    assertThat(new JsonWriter().valueBase64(bytes, 1, 3).toString()).isEqualTo("\"AQL/\"");
  }

  @Test
  void writesNumbersExactlyAsParsed() throws Exception {
    JsonValue v = JsonParser.parse("[1.50,-0,2E+10,123456789012345678901234567890]");

    assertThat(new JsonWriter().value(v).toString())
        .isEqualTo("[1.50,-0,2E+10,123456789012345678901234567890]");
  }

  @Test
  void refusesOutOfOrderCalls() {
    assertThatThrownBy(() -> new JsonWriter().beginObject().value("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a name");
    assertThatThrownBy(() -> new JsonWriter().beginArray().name("x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().name("x")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").name("b"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginObject().endArray())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().beginArray().endObject())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new JsonWriter().value(1L).value(2L))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handlesDeepNesting() {
    JsonWriter w = new JsonWriter();
    for (int i = 0; i < 100; i++) {
      w.beginArray();
    }
    for (int i = 0; i < 100; i++) {
      w.endArray();
    }
    assertThat(w.toString()).isEqualTo("[".repeat(100) + "]".repeat(100));
  }

  @Test
  void toStringOfAValueIsItsCompactJson() throws Exception {
    assertThat(JsonParser.parse(" { \"a\" : [ 1 , \"\\u00e9\" ] } ").toString())
        .isEqualTo("{\"a\":[1,\"\u00e9\"]}");
  }
}
