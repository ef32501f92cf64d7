package dev.lambdagate.controlplane.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lambdagate.controlplane.TestSupport;
import dev.lambdagate.controlplane.kube.KubeModeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The provisioned Envoy's bootstrap, byte for byte: ADS over mutual TLS with the mounted client
 * credentials, admin on 127.0.0.1 only, the readiness listener. The file is regenerated only on
 * purpose, like the translation goldens: run with {@code -Dgolden.update=true} and review the diff.
 */
class EnvoyBootstrapGoldenTest {
  static Path file() {
    return TestSupport.goldenDir()
        .resolveSibling("golden-bootstrap")
        .resolve("provisioned-envoy.yaml");
  }

  @Test
  void provisionedBootstrapMatchesTheGolden() throws Exception {
    KubeModeOptions o = KubeModeOptions.defaults("lambdagate-system", "golden");
    String yaml =
        EnvoyBootstrap.yaml("team-a", "edge", o.controlPlaneHost(), o.xdsPort(), o.wasmHttpPort());
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file(), yaml);
    }
    assertThat(yaml)
        .as(file() + " (regenerate with -Dgolden.update=true)")
        .isEqualTo(Files.readString(file()));
  }
}
