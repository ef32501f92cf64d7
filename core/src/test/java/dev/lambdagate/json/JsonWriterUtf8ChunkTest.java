package dev.lambdagate.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonWriter#valueFromUtf8} writes the same JSON as {@link JsonWriter#value(String)} of the
 * decoded text, for text longer than its internal chunk and with escapes at every position.
 */
class JsonWriterUtf8ChunkTest {
  private static final String[] PIECES = {
    "a",
    "Z",
    " ",
    "\"",
    "\\",
    "\n",
    "\t",
    "\u0001",
    "\u001f",
    "\u007f",
    "\u00e9",
    "\u4e2d",
    "\u2028",
    "\u2029",
    "\ud83d\ude00",
    "\ufffd",
    "/"
  };

  @Test
  void sameAsTheStringFormAcrossChunkBoundaries() {
    SplittableRandom random = new SplittableRandom(5);
    for (int round = 0; round < 300; round++) {
      StringBuilder sb = new StringBuilder();
      int pieces = random.nextInt(round < 100 ? 20 : 2500);
      for (int i = 0; i < pieces; i++) {
        sb.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)] : "x");
      }
      String text = sb.toString();
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      assertThat(new JsonWriter().valueFromUtf8(utf8, 0, utf8.length).toString())
          .isEqualTo(new JsonWriter().value(text).toString());
    }
  }
}
