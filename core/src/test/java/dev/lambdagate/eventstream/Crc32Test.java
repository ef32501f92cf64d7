package dev.lambdagate.eventstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Our CRC-32 against the JDK's, whole and continued piece by piece. */
class Crc32Test {
  @Test
  void matchesTheJdkOnRandomData() {
    Random random = new Random(42);
    for (int size : new int[] {0, 1, 7, 8, 255, 4096, 65537}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      CRC32 jdk = new CRC32();
      jdk.update(data);
      assertThat(Crc32.of(data, 0, size) & 0xffffffffL)
          .as("size %d", size)
          .isEqualTo(jdk.getValue());
      int split = size / 3;
      int continued = Crc32.update(Crc32.of(data, 0, split), data, split, size - split);
      assertThat(continued & 0xffffffffL).isEqualTo(jdk.getValue());
    }
  }

  @Test
  void knownCheckValue() {
    // The CRC-32 check value of the ASCII digits 1..9.
    assertThat(Crc32.of("123456789".getBytes(), 0, 9)).isEqualTo(0xCBF43926);
  }
}
