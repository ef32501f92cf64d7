package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Strings of {@link JsonParser#BYTES_STRING_THRESHOLD} bytes or more are kept as UTF-8. */
class JsonParserLargeStringTest {

  @Test
  void aLargeStringDecodesToTheSameValueAsASmallOne() throws Exception {
    String unit = "a\u00e9\u20ac\uD83D\uDE00\"\\/\n\t\u0001";
    String escaped = "a\u00e9\\u20ac\\ud83d\\ude00\\\"\\\\\\/\\n\\t\\u0001";
    String value = unit.repeat(1000);
    String json = "{\"body\":\"" + escaped.repeat(1000) + "\",\"small\":\"" + escaped + "\"}";
    JsonObject o = (JsonObject) JsonParser.parse(json.getBytes(StandardCharsets.UTF_8));

    JsonString body = (JsonString) o.get("body");
    assertThat(body.value()).isEqualTo(value);
    assertThat(body.utf8()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    assertThat(((JsonString) o.get("small")).value()).isEqualTo(unit);
    assertThat(body).isEqualTo(JsonString.of(value));
  }

  @Test
  void aLargeStringIsCheckedAsStrictlyAsASmallOne() {
    String large = "x".repeat(JsonParser.BYTES_STRING_THRESHOLD + 10);
    assertThatThrownBy(() -> JsonParser.parse("\"" + large + "\\ud800\""))
        .isInstanceOf(JsonParseException.class)
        .hasMessageContaining("unpaired surrogate");
    assertThatThrownBy(() -> JsonParser.parse("\"" + large + "\u0001\""))
        .isInstanceOf(JsonParseException.class)
        .hasMessageContaining("unescaped control character");
    byte[] malformed = ("\"" + large + "?\"").getBytes(StandardCharsets.UTF_8);
    malformed[malformed.length - 2] = (byte) 0xC0;
    assertThatThrownBy(() -> JsonParser.parse(malformed))
        .isInstanceOf(JsonParseException.class)
        .hasMessageContaining("malformed UTF-8");
    assertThatThrownBy(() -> JsonParser.parse("\"" + large))
        .isInstanceOf(JsonParseException.class)
        .hasMessageContaining("unterminated string");
  }

  @Test
  void base64DecodesFromBytesAsFromAString() {
    byte[] data = new byte[5000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 13);
    }
    String text = Base64Codec.encode(data);
    byte[] ascii = ("..." + text).getBytes(StandardCharsets.US_ASCII);
    assertThat(Base64Codec.decode(ascii, 3, text.length())).isEqualTo(data);
    byte[] out = new byte[Base64Codec.encodedLength(data.length) + 2];
    assertThat(Base64Codec.encodeTo(out, 2, data, 0, data.length)).isEqualTo(out.length);
    assertThat(new String(out, 2, out.length - 2, StandardCharsets.US_ASCII)).isEqualTo(text);
    assertThatThrownBy(() -> Base64Codec.decode("ab-d".getBytes(StandardCharsets.US_ASCII), 0, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index 2");
  }
}
