package dev.lambdagate.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayDurationTest {
  @Test
  void parsesGatewayApiDurations() {
    assertThat(GatewayDuration.millis("10s")).isEqualTo(10_000L);
    assertThat(GatewayDuration.millis("1h30m")).isEqualTo(5_400_000L);
    assertThat(GatewayDuration.millis("1m500ms")).isEqualTo(60_500L);
    assertThat(GatewayDuration.millis("0s")).isZero();
  }

  @Test
  void refusesWhatIsNotOne() {
    assertThat(GatewayDuration.millis("10")).isNull();
    assertThat(GatewayDuration.millis("x10s")).isNull();
    assertThat(GatewayDuration.millis("10s ")).isNull();
    assertThat(GatewayDuration.millis("")).isNull();
  }
}
