package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The byte-oriented writer: string values in parts, a reused buffer, the size limit. */
class JsonWriterPartsTest {

  @Test
  void aStringWrittenInPartsEqualsTheOneWrittenWhole() {
    byte[] text =
        "h\u00e9llo \"w\u00f6rld\"\n\u2028 \uD83D\uDE00 end".getBytes(StandardCharsets.UTF_8);
    JsonWriter parts = new JsonWriter().beginStringValue();
    parts
        .stringPartFromUtf8(text, 0, 5)
        .stringPartFromUtf8(text, 5, text.length - 5)
        .endStringValue();
    assertThat(parts.toString())
        .isEqualTo(new JsonWriter().valueFromUtf8(text, 0, text.length).toString());
    assertThat(parts.toString())
        .isEqualTo(JsonWriter.quote(new String(text, StandardCharsets.UTF_8)));
  }

  @Test
  void base64InPartsOfThreeBytesIsTheBase64OfTheWhole() {
    byte[] data = new byte[1000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 37);
    }
    JsonWriter w = new JsonWriter(4).beginStringValue();
    for (int at = 0; at < data.length; at += 300) {
      w.stringPartBase64(data, at, Math.min(300, data.length - at));
    }
    w.endStringValue();
    assertThat(w.toString()).isEqualTo("\"" + Base64.getEncoder().encodeToString(data) + "\"");
  }

  @Test
  void writesIntoTheGivenBufferAndGrowsOnlyWhenNeeded() {
    byte[] buffer = new byte[64];
    JsonWriter small = new JsonWriter(buffer).beginObject().name("a").value(1).endObject();
    assertThat(small.buffer()).isSameAs(buffer);
    assertThat(new String(buffer, 0, small.length(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":1}");
    JsonWriter large = new JsonWriter(buffer).value("x".repeat(100));
    assertThat(large.buffer()).isNotSameAs(buffer).hasSizeGreaterThanOrEqualTo(102);
    assertThat(large.toUtf8()).hasSize(102);
  }

  @Test
  void textPastTheLimitThrowsWithoutGrowingPastIt() {
    JsonWriter w = new JsonWriter(8).maxBytes(50);
    w.beginArray();
    assertThatThrownBy(() -> w.value("y".repeat(60)))
        .isInstanceOf(JsonWriter.SizeLimitExceeded.class)
        .hasMessageContaining("50 bytes");
    assertThat(w.buffer().length).isLessThanOrEqualTo(50);
    // Exactly the limit fits.
    JsonWriter exact = new JsonWriter(8).maxBytes(12).value("0123456789");
    assertThat(exact.length()).isEqualTo(12);
  }

  @Test
  void nonAsciiNamesAndValuesAreUtf8() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("n\u00e4me")
            .value("\u20ac\uD83D")
            .endObject()
            .toString();
    assertThat(json).isEqualTo("{\"n\u00e4me\":\"\u20ac\uFFFD\"}");
  }
}
