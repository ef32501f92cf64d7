package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8#encode} (and {@link Utf8#encodeInto}) and {@link Utf8#decodeString} give what the
 * JDK's UTF-8 charset gives.
 */
class Utf8CodecTest {
  private static final char[] PICKS = {
    'a', 'Z', '0', ' ', '"', '\\', '\n', 0, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfffd, 0xffff,
    0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00
  };

  @Test
  void encodeMatchesTheJdkForRandomTextIncludingUnpairedSurrogates() {
    SplittableRandom random = new SplittableRandom(11);
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        sb.append(
            random.nextBoolean()
                ? PICKS[random.nextInt(PICKS.length)]
                : (char) random.nextInt(0x10000));
      }
      String text = sb.toString();
      byte[] jdk = text.getBytes(StandardCharsets.UTF_8);
      assertThat(Utf8.encode(text)).isEqualTo(jdk);
      assertThat(Utf8.encodedLength(text)).isEqualTo(jdk.length);
      byte[] into = new byte[jdk.length + 5];
      assertThat(Utf8.encodeInto(text, into, 3)).isEqualTo(3 + jdk.length);
      assertThat(java.util.Arrays.copyOfRange(into, 3, 3 + jdk.length)).isEqualTo(jdk);
    }
  }

  @Test
  void decodeStringMatchesTheJdkForValidAndMalformedBytes() {
    SplittableRandom random = new SplittableRandom(12);
    for (int round = 0; round < 5000; round++) {
      byte[] bytes = new byte[random.nextInt(30)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (round % 2 == 0 ? random.nextInt(128) : random.nextInt(256));
      }
      int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
      int len = bytes.length - off;
      assertThat(Utf8.decodeString(bytes, off, len))
          .isEqualTo(new String(bytes, off, len, StandardCharsets.UTF_8));
    }
    String text = "h\u00e9llo \u4e2d \ud83d\ude00";
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.decodeString(utf8, 0, utf8.length)).isEqualTo(text);
  }
}
