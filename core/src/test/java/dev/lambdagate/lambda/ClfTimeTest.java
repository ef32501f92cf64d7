package dev.lambdagate.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks the clock-free formatter against java.time, which the tests (unlike the filter) may use.
 */
class ClfTimeTest {

  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Test
  void formatsKnownInstants() {
    assertThat(ClfTime.format(0)).isEqualTo("01/Jan/1970:00:00:00 +0000");
    assertThat(ClfTime.format(1583348638390L)).isEqualTo("04/Mar/2020:19:03:58 +0000");
    assertThat(ClfTime.format(951782400000L)).isEqualTo("29/Feb/2000:00:00:00 +0000");
    assertThat(ClfTime.format(-1)).isEqualTo("31/Dec/1969:23:59:59 +0000");
  }

  @Test
  void agreesWithJavaTimeOnRandomInstants() {
    Random random = new Random(5);
    for (int i = 0; i < 100_000; i++) {
      // 1900 to 2200
      long millis = -2_208_988_800_000L + (long) (random.nextDouble() * 9_467_280_000_000L);
      assertThat(ClfTime.format(millis))
          .as("%d", millis)
          .isEqualTo(CLF.format(Instant.ofEpochMilli(millis)));
    }
  }
}
