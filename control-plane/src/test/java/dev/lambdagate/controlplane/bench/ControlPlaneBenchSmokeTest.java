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
            new ControlPlaneBench.Options(10, 1, 2, 3, 2, Duration.ofMillis(20), 50),
            new PrintStream(PrintStream.nullOutputStream()));
    assertThat(r.sizes().get("routes")).isEqualTo(10);
    assertThat(r.sizes().get("cluster count")).isEqualTo(10);
    assertThat(r.sizes().get("filter JSON")).isPositive();
    assertThat(r.change().get("to ACK").n()).isEqualTo(3);
    assertThat(r.unexpectedPushes()).as("an HTTPRoute path change re-sends only RDS").isZero();
    assertThat(ControlPlaneBench.row(r)).startsWith("| 10 |");
    for (ControlPlaneBench.ChangeKind kind : ControlPlaneBench.ChangeKind.values()) {
      assertThat(r.sotw().get(kind).times().get("to ACK").n()).as(kind.name()).isEqualTo(3);
      assertThat(r.delta().get(kind).times().get("to ACK").n()).as(kind.name()).isEqualTo(2);
    }
    // A route change re-sends the route configuration only; a Backend or Secret change re-sends
    // the Listener, which carries every Backend's filter configuration.
    assertThat(r.sotw().get(ControlPlaneBench.ChangeKind.ROUTE).bytes().get("RDS")).isPositive();
    assertThat(r.sotw().get(ControlPlaneBench.ChangeKind.SECRET).bytes().get("LDS"))
        .isBetween(r.sizes().get("listeners") - 100, r.sizes().get("listeners") + 100);
    assertThat(r.delta().get(ControlPlaneBench.ChangeKind.BACKEND).bytes().get("LDS"))
        .isBetween(r.sizes().get("listeners") - 100, r.sizes().get("listeners") + 100);
    assertThat(r.coldStartMillis()).isPositive();
    assertThat(ControlPlaneBench.changeRows(r)).hasSize(3);
  }
}
