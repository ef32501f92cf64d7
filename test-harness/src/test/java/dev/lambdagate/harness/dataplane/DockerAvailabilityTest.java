package dev.lambdagate.harness.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.harness.dataplane.DockerAvailability.Decision;
import org.junit.jupiter.api.Test;

/** The run / skip / fail choice of the real-Envoy tests, and how -Drequire.envoy is read. */
class DockerAvailabilityTest {

  @Test
  void dockerAvailableAlwaysRuns() {
    assertThat(DockerAvailability.decide(true, false)).isEqualTo(Decision.RUN);
    assertThat(DockerAvailability.decide(true, true)).isEqualTo(Decision.RUN);
  }

  @Test
  void noDockerSkipsUnlessEnvoyIsRequired() {
    assertThat(DockerAvailability.decide(false, false)).isEqualTo(Decision.SKIP);
    assertThat(DockerAvailability.decide(false, true)).isEqualTo(Decision.FAIL);
  }

  @Test
  void requireEnvoyIsReadAsMavenUsersWriteIt() {
    assertThat(DockerAvailability.required(null)).isFalse();
    assertThat(DockerAvailability.required("false")).isFalse();
    assertThat(DockerAvailability.required("no")).isFalse();
    assertThat(DockerAvailability.required("true")).isTrue();
    assertThat(DockerAvailability.required("TRUE")).isTrue();
    assertThat(DockerAvailability.required("")).isTrue();
  }
}
