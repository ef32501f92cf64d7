package dev.lambdagate.controlplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
    assertThat(r.sizes().get("listener filter JSON")).isPositive();
    assertThat(r.change().get("to ACK").n()).isEqualTo(3);
    assertThat(r.unexpectedPushes()).as("an HTTPRoute path change re-sends only RDS").isZero();
    assertThat(ControlPlaneBench.row(r)).startsWith("| 10 |");
    for (ControlPlaneBench.ChangeKind kind : ControlPlaneBench.ChangeKind.values()) {
      assertThat(r.sotw().get(kind).times().get("to ACK").n()).as(kind.name()).isEqualTo(3);
      assertThat(r.delta().get(kind).times().get("to ACK").n()).as(kind.name()).isEqualTo(2);
    }
    // A route change re-sends the route configuration only. A Backend or Secret change re-sends
    // clusters only, since each backend's filter entry is in its cluster's metadata: in state of
    // the world every cluster, over delta the one that changed.
    assertThat(r.sotw().get(ControlPlaneBench.ChangeKind.ROUTE).bytes().get("RDS")).isPositive();
    long clusters = r.sizes().get("clusters");
    for (ControlPlaneBench.ChangeKind kind :
        List.of(ControlPlaneBench.ChangeKind.BACKEND, ControlPlaneBench.ChangeKind.SECRET)) {
      Map<String, Long> sotw = r.sotw().get(kind).bytes();
      assertThat(sotw.get("LDS")).as(kind.name()).isZero();
      assertThat(sotw.get("CDS")).as(kind.name()).isBetween(clusters - 100, clusters + 200);
      Map<String, Long> delta = r.delta().get(kind).bytes();
      assertThat(delta.get("LDS")).as(kind.name()).isZero();
      assertThat(delta.get("CDS")).as(kind.name()).isPositive().isLessThan(clusters / 5);
    }
    assertThat(r.coldStartMillis()).isPositive();
    assertThat(ControlPlaneBench.changeRows(r)).hasSize(3);
  }
}
