package dev.lambdagate.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ControlPlaneBench} with 10 routes so its code path (mock API, informers, model,
 * translation, ADS over Netty, one-change-to-ACK) keeps working. No timing assertions.
 */
class ControlPlaneBenchSmokeTest {
  @Test
  void tenRoutes() throws Exception {
    ControlPlaneBench.Result r =
        ControlPlaneBench.run(
            new ControlPlaneBench.Options(10, 1, 2, 3, Duration.ofMillis(20), 50),
            new PrintStream(PrintStream.nullOutputStream()));
    assertThat(r.sizes().get("routes")).isEqualTo(10);
    assertThat(r.sizes().get("cluster count")).isEqualTo(10);
    assertThat(r.sizes().get("filter JSON")).isPositive();
    assertThat(r.change().get("to ACK").n()).isEqualTo(3);
    assertThat(r.unexpectedPushes()).as("an HTTPRoute path change re-sends only RDS").isZero();
    assertThat(ControlPlaneBench.row(r)).startsWith("| 10 |");
  }
}
