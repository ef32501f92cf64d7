package dev.lambdagate.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lambdagate.lambda.HeaderList;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderMapCodecTest {
  @Test
  void encodesTheAbiLayoutByteForByte() {
    HeaderList headers = new HeaderList();
    headers.add(":path", "/a");
    headers.add("x", "é");
    byte[] encoded = HeaderMapCodec.encode(headers);
    byte[] expected = {
      2,
      0,
      0,
      0, // pairs
      5,
      0,
      0,
      0,
      2,
      0,
      0,
      0, // ":path" "/a"
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0, // "x" "é" (two UTF-8 bytes)
      ':',
      'p',
      'a',
      't',
      'h',
      0,
      '/',
      'a',
      0,
      'x',
      0,
      (byte) 0xc3,
      (byte) 0xa9,
      0
    };
    assertThat(encoded).isEqualTo(expected);
    HeaderList decoded = HeaderMapCodec.decode(encoded);
    assertThat(decoded.size()).isEqualTo(2);
    assertThat(decoded.get(":PATH")).isEqualTo("/a");
    assertThat(decoded.value(1)).isEqualTo("é");
  }

  @Test
  void keepsDuplicatesAndOrder() {
    HeaderList headers = new HeaderList();
    headers.add("set-cookie", "a=1");
    headers.add("other", "");
    headers.add("set-cookie", "b=2");
    HeaderList decoded = HeaderMapCodec.decode(HeaderMapCodec.encode(headers));
    assertThat(decoded).isEqualTo(headers);
    assertThat(decoded.toString()).isEqualTo("[set-cookie: a=1, other: , set-cookie: b=2]");
    assertThat(decoded.remove("SET-COOKIE")).isEqualTo(2);
    assertThat(decoded.size()).isEqualTo(1);
  }

  @Test
  void decodesAMapInsideALargerArray() {
    HeaderList headers = HeaderList.of(":path", "/a", "x", "\u00e9\u4e2d", "empty", "");
    byte[] encoded = HeaderMapCodec.encode(headers);
    byte[] framed = new byte[encoded.length + 10];
    System.arraycopy(encoded, 0, framed, 7, encoded.length);
    assertThat(HeaderMapCodec.decode(framed, 7, encoded.length)).isEqualTo(headers);
    // The map's own length bounds it, not the array's.
    byte[] cut = new byte[encoded.length + 10];
    System.arraycopy(encoded, 0, cut, 0, encoded.length);
    assertThatThrownBy(() -> HeaderMapCodec.decode(cut, 0, encoded.length - 2))
        .hasMessageContaining("overruns");
  }

  @Test
  void commonNamesDecodeToSharedStringsAndOthersToTheirOwn() {
    HeaderList headers =
        HeaderList.of(
            ":path",
            "/",
            "content-type",
            "a",
            "content-typ",
            "b",
            "Content-Type",
            "c",
            "",
            "d",
            "x-request-idx",
            "e",
            "\u00e9",
            "f");
    HeaderList first = HeaderMapCodec.decode(HeaderMapCodec.encode(headers));
    HeaderList second = HeaderMapCodec.decode(HeaderMapCodec.encode(headers));
    assertThat(first).isEqualTo(headers);
    assertThat(first.name(0)).isSameAs(second.name(0));
    assertThat(first.name(1)).isSameAs(second.name(1));
    assertThat(first.name(2)).isNotSameAs(second.name(2)).isEqualTo("content-typ");
    assertThat(first.name(3)).isEqualTo("Content-Type");
    assertThat(first.name(5)).isEqualTo("x-request-idx");
  }

  @Test
  void rejectsATruncatedMap() {
    byte[] encoded = HeaderMapCodec.encode(single("key", "value"));
    byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 3);
    assertThatThrownBy(() -> HeaderMapCodec.decode(truncated)).hasMessageContaining("overruns");
    byte[] lying = "\u00ff\u00ff\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> HeaderMapCodec.decode(lying)).hasMessageContaining("pairs");
  }

  private static HeaderList single(String name, String value) {
    HeaderList headers = new HeaderList();
    headers.add(name, value);
    return headers;
  }
}
