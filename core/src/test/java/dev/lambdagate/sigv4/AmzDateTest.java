package dev.lambdagate.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link AmzDate} against java.time, an independent implementation available on the JVM. */
class AmzDateTest {
  private static final DateTimeFormatter ORACLE =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private static String oracle(long epochSeconds) {
    return ORACLE.format(Instant.ofEpochSecond(epochSeconds));
  }

  @Test
  void suiteTime() {
    assertThat(AmzDate.parse("20150830T123600Z")).isEqualTo(1_440_938_160L);
    assertThat(AmzDate.format(1_440_938_160L)).isEqualTo("20150830T123600Z");
    assertThat(AmzDate.dateStamp(1_440_938_160L)).isEqualTo("20150830");
  }

  @Test
  void randomInstantsOverTheWholeRangeMatchJavaTime() {
    SplittableRandom random = new SplittableRandom(20150830);
    for (int i = 0; i < 200_000; i++) {
      long t = random.nextLong(AmzDate.MIN_EPOCH_SECONDS, AmzDate.MAX_EPOCH_SECONDS + 1);
      String expected = oracle(t);
      assertThat(AmzDate.format(t)).as("format(%d)", t).isEqualTo(expected);
      assertThat(AmzDate.dateStamp(t)).isEqualTo(expected.substring(0, 8));
      assertThat(AmzDate.parse(expected)).as("parse(%s)", expected).isEqualTo(t);
    }
  }

  @Test
  void randomInstantsNearNowMatchJavaTime() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long t = random.nextLong(0L, 4_102_444_800L); // 1970 .. 2100
      assertThat(AmzDate.format(t)).isEqualTo(oracle(t));
    }
  }

  @Test
  void everyDayBoundaryOfFourCenturiesMatchesJavaTime() {
    // 400 years is one full Gregorian cycle: every leap-year rule is crossed, on both sides of
    // 1970.
    long first = LocalDate.of(1800, 1, 1).toEpochDay();
    long last = LocalDate.of(2200, 12, 31).toEpochDay();
    for (long day = first; day <= last; day++) {
      for (long t : new long[] {day * 86_400L, day * 86_400L + 86_399L}) {
        assertThat(AmzDate.format(t)).isEqualTo(oracle(t));
        assertThat(AmzDate.parse(oracle(t))).isEqualTo(t);
      }
    }
  }

  @Test
  void edges() {
    assertThat(AmzDate.format(0)).isEqualTo("19700101T000000Z");
    assertThat(AmzDate.format(-1)).isEqualTo("19691231T235959Z");
    assertThat(AmzDate.format(951_782_400L)).isEqualTo("20000229T000000Z");
    assertThat(AmzDate.format(4_107_542_400L)).isEqualTo("21000301T000000Z");
    assertThat(AmzDate.format(AmzDate.MIN_EPOCH_SECONDS)).isEqualTo("00000101T000000Z");
    assertThat(AmzDate.format(AmzDate.MAX_EPOCH_SECONDS)).isEqualTo("99991231T235959Z");
    assertThat(AmzDate.parse("00000101T000000Z")).isEqualTo(AmzDate.MIN_EPOCH_SECONDS);
    assertThat(AmzDate.parse("99991231T235959Z")).isEqualTo(AmzDate.MAX_EPOCH_SECONDS);
    assertThat(AmzDate.parse("20240229T120000Z")).isEqualTo(oracleParse("20240229T120000Z"));
  }

  private static long oracleParse(String text) {
    return java.time.LocalDateTime.parse(text, DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'"))
        .toEpochSecond(ZoneOffset.UTC);
  }

  @Test
  void outOfRangeInstantsAreRejected() {
    assertThatThrownBy(() -> AmzDate.format(AmzDate.MIN_EPOCH_SECONDS - 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AmzDate.format(AmzDate.MAX_EPOCH_SECONDS + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "20150830T123600",
        "20150830T123600ZZ",
        "20150830 123600Z",
        "20150830T123600z",
        "2015083OT123600Z",
        "-0150830T123600Z",
        "20151330T123600Z",
        "20150001T123600Z",
        "20150800T123600Z",
        "20150230T123600Z",
        "20230229T000000Z",
        "21000229T000000Z",
        "20150431T000000Z",
        "20150830T243600Z",
        "20150830T126000Z",
        "20150830T123660Z",
        "2015-08-30T12:36Z"
      })
  void malformedTimestampsAreRejected(String text) {
    assertThatThrownBy(() -> AmzDate.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("yyyyMMdd");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> AmzDate.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
