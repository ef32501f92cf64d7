package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks the codec against {@link java.util.Base64}, which it must match exactly. */
class Base64CodecTest {

  @ParameterizedTest
  @CsvSource({
    "'',''",
    "f,Zg==",
    "fo,Zm8=",
    "foo,Zm9v",
    "foob,Zm9vYg==",
    "fooba,Zm9vYmE=",
    "foobar,Zm9vYmFy"
  })
  void encodesTheRfc4648Vectors(String plain, String encoded) {
    assertThat(Base64Codec.encode(plain.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
    assertThat(Base64Codec.decode(encoded)).isEqualTo(plain.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void encodeMatchesJavaUtilBase64OnRandomData() {
    Random random = new Random(42);
    for (int i = 0; i < 3000; i++) {
      byte[] data = new byte[random.nextInt(300)];
      random.nextBytes(data);

      String encoded = Base64Codec.encode(data);

      assertThat(encoded).isEqualTo(Base64.getEncoder().encodeToString(data));
      assertThat(encoded).hasSize(Base64Codec.encodedLength(data.length));
      assertThat(Base64Codec.decode(encoded)).isEqualTo(data);
    }
  }

  @Test
  void encodesASliceOfAnArray() {
    byte[] data = "xxhello!yy".getBytes(StandardCharsets.US_ASCII);
    StringBuilder sb = new StringBuilder("prefix:");

    Base64Codec.encodeTo(sb, data, 2, 6);

    assertThat(sb.toString())
        .isEqualTo("prefix:" + Base64.getEncoder().encodeToString("hello!".getBytes()));
  }

  @Test
  void decodesUnpaddedTextLikeJavaUtilBase64() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      byte[] data = new byte[random.nextInt(50)];
      random.nextBytes(data);
      String unpadded = Base64.getEncoder().withoutPadding().encodeToString(data);

      assertThat(Base64Codec.decode(unpadded)).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "A",
        "AAAAA",
        "A=",
        "AA=",
        "AA=A",
        "=",
        "==",
        "AAA==",
        "AAAA=",
        "AA===",
        "AA==AA",
        "AA==\n",
        "AB CD",
        "AB\nCD",
        "AB-_",
        "ABC*",
        "\u00e9AAA",
        "AA\u0000A",
        "Zg==Zg=="
      })
  void rejectsWhatJavaUtilBase64Rejects(String text) {
    assertThatThrownBy(() -> Base64.getDecoder().decode(text))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base64Codec.decode(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agreesWithJavaUtilBase64OnRandomText() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    String noise = "=-_ \n.*\u00e9";
    Random random = new Random(99);
    for (int i = 0; i < 20000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(10);
      for (int j = 0; j < length; j++) {
        sb.append(
            random.nextInt(8) == 0
                ? noise.charAt(random.nextInt(noise.length()))
                : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = sb.toString();
      byte[] expected;
      try {
        expected = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        expected = null;
      }
      if (expected == null) {
        assertThatThrownBy(() -> Base64Codec.decode(text))
            .as(text)
            .isInstanceOf(IllegalArgumentException.class);
      } else {
        assertThat(Base64Codec.decode(text)).as(text).isEqualTo(expected);
      }
    }
  }

  @Test
  void errorMessagesSayWhereButNotWhat() {
    assertThatThrownBy(() -> Base64Codec.decode("c2VjcmV0*"))
        .hasMessage("invalid Base64 character at index 8");
    assertThatThrownBy(() -> Base64Codec.decode("c2VjcmV0cw="))
        .hasMessage("invalid Base64 padding at index 10");
    assertThatThrownBy(() -> Base64Codec.decode("c2VjcmV0c"))
        .hasMessage("incomplete Base64: a single character in the last group");
  }
}
