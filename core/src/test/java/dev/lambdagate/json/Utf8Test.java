package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks {@link Utf8} against the JDK's strict decoder. */
class Utf8Test {

  @Test
  void acceptsWellFormedTextOfEveryLength() {
    assertThat(
            Utf8.isValid("a\u00e9\u20ac\uD83D\uDE00\uDBFF\uDFFF".getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    assertThat(Utf8.isValid(new byte[0])).isTrue();
  }

  @Test
  void rejectsOverlongSurrogatesAndOutOfRangeForms() {
    assertThat(Utf8.isValid(new byte[] {(byte) 0xC1, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF})).isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}))
        .isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .isFalse();
    assertThat(Utf8.isValid(new byte[] {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}))
        .isFalse();
    assertThat(Utf8.isValid(new byte[] {'a', (byte) 0xE2, (byte) 0x82})).isFalse();
  }

  @Test
  void checksOnlyTheGivenRange() {
    byte[] bytes = {(byte) 0xFF, 'o', 'k', (byte) 0xFF};

    assertThat(Utf8.isValid(bytes, 1, 2)).isTrue();
    assertThat(Utf8.isValid(bytes, 0, 2)).isFalse();
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(3);
    for (int i = 0; i < 50000; i++) {
      byte[] bytes = new byte[random.nextInt(8)];
      for (int j = 0; j < bytes.length; j++) {
        // Bias towards the interesting lead and continuation bytes.
        bytes[j] =
            (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
      }
      assertThat(Utf8.isValid(bytes))
          .as(java.util.Arrays.toString(bytes))
          .isEqualTo(jdkAccepts(bytes));
    }
  }

  @Test
  void decodesWhatItValidates() {
    String text = "\u007f\u0080\u07ff\u0800\uffff\uD800\uDC00\uDBFF\uDFFF";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder decoded = new StringBuilder();
    for (int i = 0; i < bytes.length; ) {
      int n = Utf8.sequenceLength(bytes, i, bytes.length);
      decoded.appendCodePoint(Utf8.decode(bytes, i, n));
      i += n;
    }
    assertThat(decoded.toString()).isEqualTo(text);
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
