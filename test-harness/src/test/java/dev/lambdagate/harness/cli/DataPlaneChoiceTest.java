package dev.lambdagate.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code run --data-plane auto}: envoy on PATH, else Docker, else embedded, and the reason shown.
 */
class DataPlaneChoiceTest {
  private static final String ENVOY = "/usr/local/bin/envoy";
  private static final String IMAGE = "envoyproxy/envoy:v1.x";

  @Test
  void autoPrefersEnvoyOnPathEvenWithDocker() {
    DataPlaneChoice choice = DataPlaneChoice.choose("auto", ENVOY, true);
    assertThat(choice).isEqualTo(new DataPlaneChoice("envoy", "envoy found at " + ENVOY));
    assertThat(choice.announcement(IMAGE))
        .isEqualTo("run: data plane: Envoy binary, because envoy found at " + ENVOY);
  }

  @Test
  void autoUsesDockerWithoutEnvoyOnPath() {
    DataPlaneChoice choice = DataPlaneChoice.choose("auto", null, true);
    assertThat(choice.kind()).isEqualTo("docker");
    assertThat(choice.announcement(IMAGE))
        .isEqualTo(
            "run: data plane: Envoy (Docker image "
                + IMAGE
                + "), because no envoy on PATH; a Docker daemon is reachable");
  }

  @Test
  void autoFallsBackToEmbeddedAndSaysWhy() {
    DataPlaneChoice choice = DataPlaneChoice.choose("auto", null, false);
    assertThat(choice)
        .isEqualTo(new DataPlaneChoice("embedded", "no envoy on PATH and no Docker daemon"));
    assertThat(choice.announcement(IMAGE))
        .isEqualTo(
            "run: data plane: embedded (lambdagate.wasm"
                + " in proxy-wasm-java-host, Chicory compiled mode), because no envoy on PATH and no"
                + " Docker daemon");
  }

  @Test
  void embeddedAskedForIsEmbeddedWhateverIsInstalled() {
    assertThat(DataPlaneChoice.choose("embedded", ENVOY, true))
        .isEqualTo(new DataPlaneChoice("embedded", "asked for with --data-plane embedded"));
  }

  @Test
  void anExplicitEnvoyOrDockerThatIsMissingIsRefused() {
    assertThatThrownBy(() -> DataPlaneChoice.choose("envoy", null, true))
        .hasMessage("--data-plane envoy: no envoy on PATH");
    assertThatThrownBy(() -> DataPlaneChoice.choose("docker", ENVOY, false))
        .hasMessage("--data-plane docker: no Docker daemon reachable");
    assertThat(DataPlaneChoice.choose("docker", ENVOY, true).kind()).isEqualTo("docker");
  }
}
