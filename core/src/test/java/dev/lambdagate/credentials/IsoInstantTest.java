package dev.lambdagate.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2014-10-24T23:00:23Z",
        "2020-02-25T06:03:31Z",
        "2000-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2099-12-31T23:59:59Z",
        "2026-11-22T04:27:16.042291Z",
        "2026-11-22T04:27:16.5Z"
      })
  void agreesWithJavaTime(String text) {
    assertThat(IsoInstant.parseMillis(text)).isEqualTo(Instant.parse(text).toEpochMilli());
  }

  @Test
  void acceptsAnOffset() {
    assertThat(IsoInstant.parseMillis("2014-10-24T23:00:23+02:00"))
        .isEqualTo(Instant.parse("2014-10-24T21:00:23Z").toEpochMilli());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "2014-10-24 23:00:23Z",
        "2014-13-01T00:00:00Z",
        "2014-02-30T00:00:00Z",
        "2014-10-24T23:00:23",
        "2014-10-24T23:00:23.Z",
        "soon",
        "2014-10-24T25:00:00Z"
      })
  void rejectsWhatIsNotAnInstant(String text) {
    assertThatThrownBy(() -> IsoInstant.parseMillis(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void formatsWholeSeconds() {
    long millis = Instant.parse("2026-11-22T04:27:16.999Z").toEpochMilli();
    assertThat(IsoInstant.format(millis)).isEqualTo("2026-11-22T04:27:16Z");
  }
}
